// One walk per file collects the places the queue rules look at (calls by
// name, `new` expressions, high-water-mark properties, classes), so the three
// rules share a single pass over the syntax tree instead of each walking it.
import * as ts from "typescript";
import { calleeName } from "../symbols";

export interface QueueSites {
  /** Calls and `new` expressions by the callee's name (`write`, `all`, `ReplaySubject`). */
  readonly byName: ReadonlyMap<string, readonly (ts.CallExpression | ts.NewExpression)[]>;
  /** Object-literal properties named like a high-water mark. */
  readonly highWaterMarks: readonly ts.PropertyAssignment[];
  /** Assignments to a `defaultMaxListeners` property. */
  readonly defaultMaxListeners: readonly ts.BinaryExpression[];
  readonly classes: readonly ts.ClassLikeDeclaration[];
  /** Names of the methods with a body this file declares, so that a rule can tell at a glance whether the project defines one. */
  readonly methodNames: ReadonlySet<string>;
}

const HIGH_WATER_MARKS = new Set(["highWaterMark", "readableHighWaterMark", "writableHighWaterMark"]);
// Read once: every `ts.X` access goes through a module-interop getter, which shows in a walk over every node.
const K = ts.SyntaxKind;

const cache = new WeakMap<ts.SourceFile, QueueSites>();

function collect(file: ts.SourceFile): QueueSites {
  const byName = new Map<string, (ts.CallExpression | ts.NewExpression)[]>();
  const highWaterMarks: ts.PropertyAssignment[] = [];
  const defaultMaxListeners: ts.BinaryExpression[] = [];
  const classes: ts.ClassLikeDeclaration[] = [];
  const methodNames = new Set<string>();
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case K.CallExpression:
      case K.NewExpression: {
        const name = calleeName((node as ts.CallExpression | ts.NewExpression).expression);
        if (name !== undefined) {
          const list = byName.get(name);
          if (list) list.push(node as ts.CallExpression | ts.NewExpression);
          else byName.set(name, [node as ts.CallExpression | ts.NewExpression]);
        }
        break;
      }
      case K.PropertyAssignment: {
        const name = (node as ts.PropertyAssignment).name;
        if ((name.kind === K.Identifier || name.kind === K.StringLiteral) && HIGH_WATER_MARKS.has((name as ts.Identifier).text)) highWaterMarks.push(node as ts.PropertyAssignment);
        break;
      }
      case K.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        if (b.operatorToken.kind === K.EqualsToken && b.left.kind === K.PropertyAccessExpression && (b.left as ts.PropertyAccessExpression).name.text === "defaultMaxListeners") defaultMaxListeners.push(b);
        break;
      }
      case K.ClassDeclaration:
      case K.ClassExpression:
        classes.push(node as ts.ClassLikeDeclaration);
        break;
      case K.MethodDeclaration: {
        // Only methods with a body: a bodyless declaration is a typing, never the project's own code.
        const method = node as ts.MethodDeclaration;
        if (method.body && method.name.kind === K.Identifier) methodNames.add((method.name as ts.Identifier).text);
        break;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { byName, highWaterMarks, defaultMaxListeners, classes, methodNames };
}

/** The sites of one file, collected on first use and kept while the file's syntax tree lives. */
export function queueSites(file: ts.SourceFile): QueueSites {
  let sites = cache.get(file);
  if (!sites) {
    sites = collect(file);
    cache.set(file, sites);
  }
  return sites;
}

/** The calls (not `new`) among the sites named `name`. */
export function callsNamed(sites: QueueSites, name: string): ts.CallExpression[] {
  return (sites.byName.get(name) ?? []).filter((n): n is ts.CallExpression => n.kind === K.CallExpression);
}
