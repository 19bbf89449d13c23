// One walk per file collects the places the queue rules look at (calls by
// name, `new` expressions, high-water-mark properties, classes), so the three
// rules share a single pass over the syntax tree instead of each walking it.
// After an edit the walk takes the members and statements the edit did not
// touch from their memo (see unit-memo).
import ts from "typescript";
import { append, isUnit, unitMemo } from "../ast/unit-memo";
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

interface Sites {
  byName: Map<string, (ts.CallExpression | ts.NewExpression)[]>;
  highWaterMarks: ts.PropertyAssignment[];
  defaultMaxListeners: ts.BinaryExpression[];
  classes: ts.ClassLikeDeclaration[];
  methodNames: Set<string>;
}

const noSites = (): Sites => ({ byName: new Map(), highWaterMarks: [], defaultMaxListeners: [], classes: [], methodNames: new Set() });

/** Adds `from` to `into`, after what `into` holds: the walk merges units in the order of the text. */
function merge(into: Sites, from: Sites): void {
  for (const [name, nodes] of from.byName) {
    const list = into.byName.get(name);
    if (list) append(list, nodes);
    else into.byName.set(name, [...nodes]);
  }
  append(into.highWaterMarks, from.highWaterMarks);
  append(into.defaultMaxListeners, from.defaultMaxListeners);
  append(into.classes, from.classes);
  for (const name of from.methodNames) into.methodNames.add(name);
}

function record(sites: Sites, node: ts.Node): void {
  switch (node.kind) {
    case K.CallExpression:
    case K.NewExpression: {
      const name = calleeName((node as ts.CallExpression | ts.NewExpression).expression);
      if (name !== undefined) {
        const list = sites.byName.get(name);
        if (list) list.push(node as ts.CallExpression | ts.NewExpression);
        else sites.byName.set(name, [node as ts.CallExpression | ts.NewExpression]);
      }
      break;
    }
    case K.PropertyAssignment: {
      const name = (node as ts.PropertyAssignment).name;
      if ((name.kind === K.Identifier || name.kind === K.StringLiteral) && HIGH_WATER_MARKS.has((name as ts.Identifier).text)) sites.highWaterMarks.push(node as ts.PropertyAssignment);
      break;
    }
    case K.BinaryExpression: {
      const b = node as ts.BinaryExpression;
      if (b.operatorToken.kind === K.EqualsToken && b.left.kind === K.PropertyAccessExpression && (b.left as ts.PropertyAccessExpression).name.text === "defaultMaxListeners") sites.defaultMaxListeners.push(b);
      break;
    }
    case K.ClassDeclaration:
    case K.ClassExpression:
      sites.classes.push(node as ts.ClassLikeDeclaration);
      break;
    case K.MethodDeclaration: {
      // Only methods with a body: a bodyless declaration is a typing, never the project's own code.
      const method = node as ts.MethodDeclaration;
      if (method.body && method.name.kind === K.Identifier) sites.methodNames.add((method.name as ts.Identifier).text);
      break;
    }
  }
}

/** The sites in `node` and below, each class member and top-level statement taken from its own memo. */
function collectInto(sites: Sites, node: ts.Node): void {
  record(sites, node);
  ts.forEachChild(node, (child) => {
    if (isUnit(child)) merge(sites, unitSites(child));
    else collectInto(sites, child);
  });
}

const unitSites = unitMemo((unit) => {
  const sites = noSites();
  collectInto(sites, unit);
  return sites;
});

const cache = new WeakMap<ts.SourceFile, QueueSites>();

/** The sites of one file, collected on first use and kept while the file's syntax tree lives. */
export function queueSites(file: ts.SourceFile): QueueSites {
  let sites = cache.get(file);
  if (!sites) {
    const collected = noSites();
    collectInto(collected, file);
    sites = collected;
    cache.set(file, sites);
  }
  return sites;
}

/** The calls (not `new`) among the sites named `name`. */
export function callsNamed(sites: QueueSites, name: string): ts.CallExpression[] {
  return (sites.byName.get(name) ?? []).filter((n): n is ts.CallExpression => n.kind === K.CallExpression);
}
