// The syntactic part of the blocking call graph, one file at a time: which
// names each synchronous function calls, under which names it can be called,
// and what the file imports. No checker call. A file's index depends only on
// its syntax tree, so it is cached per SourceFile: the language service keeps
// the trees of unchanged files, and an edit re-indexes only the edited file.
import ts from "typescript";
import { isAsyncFunction, isFunctionWithBody, isGenerator } from "../../ast/functions";
import { callbackTiming } from "./async-context";
import { isBusyWaitLoop } from "./busy-wait";
import { append } from "../../ast/unit-memo";
import { calleeName, requireSpecifier, skipOuterExpressions } from "../../symbols";

/** What a local name was imported as: the export (`*` for a namespace) and the module specifier. */
export interface ImportedName {
  name: string;
  module: string;
}

/** A synchronous function (or an alias of one), by name. */
export interface FunctionSummary {
  names: readonly string[];
  callees: ReadonlySet<string>;
  /** Properties read without a call (`ctx.config`): they run a getter when one has that name. */
  reads: ReadonlySet<string>;
  /** A `get` accessor: it runs when its property is read. */
  isGetter: boolean;
  /** Blocks without calling a named function: a busy-wait loop, or a factory's result called at once. */
  blocksDirectly: boolean;
}

export interface FileNameIndex {
  /** Local name → what it was imported as, from the file's imports and top-level requires. */
  imports: ReadonlyMap<string, ImportedName>;
  /** Local name → imported export name, for names imported under another name. */
  importedNames: ReadonlyMap<string, string>;
  summaries: readonly FunctionSummary[];
  /** Variables holding a factory's blocking result (`const tx = db.transaction(fn)`). */
  factoryResults: readonly string[];
}

const cache = new WeakMap<ts.SourceFile, { factoryKey: string; index: FileNameIndex }>();

/**
 * The file indexed last: while one file is edited again and again, an edit
 * that changes no summary gets the same index object back (so what is derived
 * from all the project's indexes need not be derived again).
 */
let lastIndexed: { fileName: string; factoryKey: string; index: FileNameIndex } | undefined;

/**
 * What each class member and top-level statement contributed, with what else
 * its summaries read (the file's imported names, the factory names, and for a
 * constructor its class's name): the units an edit did not touch come back as
 * the same nodes (see unit-memo), and are not walked again.
 */
const contributions = new WeakMap<ts.Node, { key: string; contribution: UnitContribution }>();

interface UnitContribution {
  summaries: MutableSummary[];
  factoryResults: string[];
}

/** The file's index, from the cache when its tree and the factory names are unchanged. */
export function fileNameIndex(file: ts.SourceFile, factoryNames: readonly string[]): FileNameIndex {
  const factoryKey = factoryNames.join("\n");
  const cached = cache.get(file);
  if (cached && cached.factoryKey === factoryKey) return cached.index;
  const previous = lastIndexed?.fileName === file.fileName && lastIndexed.factoryKey === factoryKey ? lastIndexed : undefined;
  const built = buildIndex(file, new Set(factoryNames), factoryKey);
  const index = previous !== undefined && sameIndex(previous.index, built) ? previous.index : built;
  lastIndexed = { fileName: file.fileName, factoryKey, index };
  cache.set(file, { factoryKey, index });
  return index;
}

function sameIndex(a: FileNameIndex, b: FileNameIndex): boolean {
  return (
    sameMap(a.imports, b.imports, (x, y) => x.name === y.name && x.module === y.module) &&
    sameMap(a.importedNames, b.importedNames, (x, y) => x === y) &&
    sameList(a.summaries, b.summaries, sameSummary) &&
    sameList(a.factoryResults, b.factoryResults, (x, y) => x === y)
  );
}

function sameSummary(a: FunctionSummary, b: FunctionSummary): boolean {
  if (a === b) return true;
  const sameSet = (x: ReadonlySet<string>, y: ReadonlySet<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return a.isGetter === b.isGetter && a.blocksDirectly === b.blocksDirectly && sameList(a.names, b.names, (x, y) => x === y) && sameSet(a.callees, b.callees) && sameSet(a.reads, b.reads);
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

function sameMap<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>, same: (x: T, y: T) => boolean): boolean {
  if (a.size !== b.size) return false;
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y === undefined || !same(x, y)) return false;
  }
  return true;
}

/** `const f = () => …`, `{ f: () => … }`, `exports.f = function () …`: the name a function is stored under. */
export function storageNameOf(fn: ts.Node): string | undefined {
  let node = fn;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) {
    return ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) || ts.isPrivateIdentifier(parent.name) ? parent.name.text : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
    const left = skipOuterExpressions(parent.left);
    if (ts.isPropertyAccessExpression(left)) return left.name.text;
    if (ts.isIdentifier(left)) return left.text;
  }
  if (ts.isExportAssignment(parent)) return "default";
  return undefined;
}

/** The names a function can be called by, syntactically. */
function namesOf(fn: ts.FunctionLikeDeclaration): string[] {
  if (ts.isConstructorDeclaration(fn)) return fn.parent.name ? [fn.parent.name.text] : [];
  const names: string[] = [];
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name))) names.push(fn.name.text);
  const stored = storageNameOf(fn);
  if (stored !== undefined) names.push(stored);
  if (ts.isFunctionDeclaration(fn) && fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) names.push("default");
  return names;
}

/** `ctx.config` read as a value: not called, not assigned to. */
export function isPropertyRead(node: ts.Node): node is ts.PropertyAccessExpression {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.name)) return false;
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node) return false;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  return true;
}

function importsOf(file: ts.SourceFile): Map<string, ImportedName> {
  const out = new Map<string, ImportedName>();
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
      const module = s.moduleSpecifier.text;
      const clause = s.importClause;
      if (clause.name) out.set(clause.name.text, { name: "default", module });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) out.set(el.name.text, { name: (el.propertyName ?? el.name).text, module });
      } else if (bindings && ts.isNamespaceImport(bindings)) {
        out.set(bindings.name.text, { name: "*", module });
      }
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const module = requireSpecifier(d.initializer);
        if (module === undefined) continue;
        if (ts.isIdentifier(d.name)) out.set(d.name.text, { name: "*", module });
        else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            const prop = el.propertyName ?? el.name;
            if (ts.isIdentifier(el.name) && (ts.isIdentifier(prop) || ts.isStringLiteral(prop))) out.set(el.name.text, { name: prop.text, module });
          }
        }
      }
    }
  }
  return out;
}

interface MutableSummary {
  names: string[];
  callees: Set<string>;
  reads: Set<string>;
  isGetter: boolean;
  blocksDirectly: boolean;
}

function buildIndex(file: ts.SourceFile, factoryNames: ReadonlySet<string>, factoryKey: string): FileNameIndex {
  const imports = importsOf(file);
  const importedNames = new Map<string, string>();
  for (const [name, imported] of imports) if (imported.name !== "*") importedNames.set(name, imported.name);
  // A member's summaries read, besides its own text, the file's imported names, the factory names and (a constructor) its class's name.
  const contextKey = `${JSON.stringify([...importedNames])}\u0000${factoryKey}`;
  const summaries: MutableSummary[] = [];
  const factoryResults: string[] = [];
  const alias = (name: string, target: string) => summaries.push({ names: [name], callees: new Set([target]), reads: new Set(), isGetter: false, blocksDirectly: false });

  const recordCall = (node: ts.Node, summary: MutableSummary): void => {
    if (isBusyWaitLoop(node)) {
      summary.blocksDirectly = true;
      return;
    }
    if (isPropertyRead(node)) {
      summary.reads.add(node.name.text);
      return;
    }
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return;
    const name = calleeName(node.expression);
    if (name !== undefined) {
      summary.callees.add(name);
      const imported = importedNames.get(name);
      if (imported !== undefined) summary.callees.add(imported);
    } else if (ts.isCallExpression(node.expression)) {
      // deasync(fn)(…): a factory's result called at once.
      const inner = calleeName(node.expression.expression);
      if (inner !== undefined && factoryNames.has(inner)) summary.blocksDirectly = true;
    }
  };

  const recordDeclaration = (node: ts.VariableDeclaration, initializer: ts.Expression): void => {
    if (ts.isObjectBindingPattern(node.name)) {
      // `const { writeFileSync: save } = fs`: `save` is a candidate when `writeFileSync` is.
      for (const el of node.name.elements) {
        const prop = el.propertyName;
        if (prop && (ts.isIdentifier(prop) || ts.isStringLiteral(prop)) && ts.isIdentifier(el.name)) alias(el.name.text, prop.text);
      }
      return;
    }
    if (!ts.isIdentifier(node.name)) return;
    const init = skipOuterExpressions(initializer);
    if (ts.isCallExpression(init)) {
      // `const tx = db.transaction(fn)`: calling `tx` blocks, so `tx` is a name worth resolving.
      const factory = calleeName(init.expression);
      if (factory !== undefined && factoryNames.has(factory)) factoryResults.push(node.name.text);
    } else if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) {
      // `const write = fs.writeFileSync`: an alias is a candidate when what it names is.
      const target = calleeName(init);
      if (target !== undefined) alias(node.name.text, target);
    }
  };

  // One walk; `current` is the synchronous function whose run the node belongs to.
  const visit = (node: ts.Node, current: MutableSummary | undefined): void => {
    if (isFunctionWithBody(node)) {
      let own: MutableSummary | undefined;
      if (isAsyncFunction(node) || isGenerator(node)) own = undefined;
      else if (current !== undefined && callbackTiming(node) === "sync") own = current;
      else {
        own = { names: namesOf(node), callees: new Set(), reads: new Set(), isGetter: ts.isGetAccessorDeclaration(node), blocksDirectly: false };
        if (own.names.length > 0) summaries.push(own);
      }
      ts.forEachChild(node, (child) => visit(child, own));
      return;
    }
    if (ts.isClassLike(node)) {
      ts.forEachChild(node, (child) => (ts.isClassElement(child) ? visitUnit(child) : visit(child, undefined)));
      return;
    }
    if (current !== undefined) recordCall(node, current);
    // `export { readFileSync as read } from "node:fs"`: `read` is a candidate when `readFileSync` is.
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const el of node.exportClause.elements) if (el.propertyName && ts.isIdentifier(el.propertyName)) alias(el.name.text, el.propertyName.text);
    }
    if (ts.isVariableDeclaration(node) && node.initializer) recordDeclaration(node, node.initializer);
    // `private run = execSync`: a field holding a function is an alias too.
    if (ts.isPropertyDeclaration(node) && node.initializer && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) {
      const init = skipOuterExpressions(node.initializer);
      const target = ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) ? calleeName(init) : undefined;
      if (target !== undefined) alias(node.name.text, target);
    }
    ts.forEachChild(node, (child) => visit(child, current));
  };
  // A class member or a top-level statement starts afresh (nothing outside it runs it), so what it contributes depends on its own syntax and the context in its key.
  const visitUnit = (unit: ts.Node): void => {
    const key = ts.isConstructorDeclaration(unit) ? `${unit.parent.name?.text ?? ""}\u0000${contextKey}` : contextKey;
    const known = contributions.get(unit);
    if (known?.key === key) {
      append(summaries, known.contribution.summaries);
      append(factoryResults, known.contribution.factoryResults);
      return;
    }
    const [summaryCount, factoryCount] = [summaries.length, factoryResults.length];
    visit(unit, undefined);
    contributions.set(unit, { key, contribution: { summaries: summaries.slice(summaryCount), factoryResults: factoryResults.slice(factoryCount) } });
  };
  file.statements.forEach(visitUnit);
  return { imports, importedNames, summaries, factoryResults };
}
