// The quick fix for an unbounded fan-out: route each task through p-limit
// when the project depends on it, otherwise through a small local helper
// that runs a fixed number of workers over the collection.
import * as path from "node:path";
import * as ts from "typescript";
import type { FactKey, ProjectFacts } from "../../facts";
import type { Mapping } from "./limiters";
import { rangeFromOffsets } from "../../location";
import type { RuleContext } from "../../rule";
import { calleeName, normaliseModule, skipOuterExpressions } from "../../symbols";
import type { Fix, TextEdit } from "../../types";

/** A starting point that keeps a few requests in flight without flooding anything; users tune it. */
const CONCURRENCY = 8;
const HELPER_NAME = "mapWithConcurrency";

/** Runtime dependencies of the nearest package.json, per folder; read once per analysis. */
const NEAREST_DEPENDENCIES: FactKey<Map<string, ReadonlySet<string>>> = {
  name: "nearest-package-dependencies",
  compute: () => new Map(),
};

function nearestDependencies(facts: ProjectFacts, fileName: string): ReadonlySet<string> {
  const cache = facts.get(NEAREST_DEPENDENCIES);
  const visited: string[] = [];
  let found: ReadonlySet<string> = new Set();
  for (let dir = path.dirname(path.resolve(fileName)); ; dir = path.dirname(dir)) {
    const cached = cache.get(dir);
    if (cached) {
      found = cached;
      break;
    }
    visited.push(dir);
    const text = ts.sys.readFile(path.join(dir, "package.json"));
    if (text !== undefined) {
      found = dependenciesIn(text);
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of visited) cache.set(dir, found);
  return found;
}

/** Only `dependencies`: a devDependency is not there when the code runs in production. */
function dependenciesIn(packageJson: string): ReadonlySet<string> {
  try {
    const parsed = JSON.parse(packageJson) as { dependencies?: Record<string, string> };
    return new Set(Object.keys(parsed.dependencies ?? {}));
  } catch {
    return new Set();
  }
}

function isTypeScript(file: ts.SourceFile): boolean {
  return /\.[mc]?tsx?$/.test(file.fileName);
}

function usesImports(file: ts.SourceFile): boolean {
  return file.statements.some((s) => ts.isImportDeclaration(s));
}

/** True when `name` already means something at `at` (a local, an import, a global). */
function isNameTaken(checker: ts.TypeChecker, at: ts.Node, name: string): boolean {
  return checker.resolveName(name, at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias, false) !== undefined;
}

/** Where new top-level declarations go: after the last import, or before the first statement. */
function afterImports(file: ts.SourceFile): { offset: number; afterImport: boolean } {
  const imports = file.statements.filter((s) => ts.isImportDeclaration(s));
  if (imports.length > 0) return { offset: imports[imports.length - 1].getEnd(), afterImport: true };
  const first = file.statements.find((s) => !(ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)));
  return { offset: first ? first.getStart(file) : file.getEnd(), afterImport: false };
}

function insertAt(file: ts.SourceFile, offset: number, newText: string): TextEdit {
  return { file: file.fileName, range: rangeFromOffsets(file, offset, offset), newText };
}

function replaceNode(file: ts.SourceFile, node: ts.Node, newText: string): TextEdit {
  return { file: file.fileName, range: rangeFromOffsets(file, node.getStart(file), node.getEnd()), newText };
}

function mentionsThisOrArguments(fn: ts.FunctionExpression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(n) && n.text === "arguments")) found = true;
    // Nested non-arrow functions have their own `this`.
    else if (!ts.isFunctionDeclaration(n) && !ts.isFunctionExpression(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function isAsync(node: ts.Node): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** How many parameters a function reference takes, or undefined when it cannot be told. */
function parameterCount(checker: ts.TypeChecker, ref: ts.Expression): number | undefined {
  const signatures = checker.getTypeAtLocation(ref).getCallSignatures();
  if (signatures.length !== 1) return undefined;
  return signatures[0].parameters.length;
}

/** `(x) => limit(async () => body)` for an inline async callback, `(item) => limit(() => f(item))` for a reference. */
function limitedCallback(cb: ts.Expression, limit: string, checker: ts.TypeChecker): string | undefined {
  const file = cb.getSourceFile();
  if ((ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && isAsync(cb)) {
    if (cb.typeParameters || (ts.isFunctionExpression(cb) && mentionsThisOrArguments(cb))) return undefined;
    const params = cb.parameters.map((p) => p.getText(file)).join(", ");
    const returnType = cb.type ? `: ${cb.type.getText(file)}` : "";
    return `(${params}) => ${limit}(async ()${returnType} => ${cb.body.getText(file)})`;
  }
  if (ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) {
    const count = parameterCount(checker, cb);
    if (count === undefined || count > 1) return undefined;
    const text = cb.getText(file);
    const param = ["item", "element", "entry"].find((n) => !new RegExp(`\\b${n}\\b`).test(text));
    return param && `(${param}) => ${limit}(() => ${text}(${param}))`;
  }
  return undefined;
}

function pLimitFix(m: Mapping, context: RuleContext): Fix | undefined {
  const file = m.call.getSourceFile();
  if (!isTypeScript(file) && !usesImports(file)) return undefined;
  let factory = existingDefaultImport(file, "p-limit");
  const edits: TextEdit[] = [];
  const at = afterImports(file);
  if (factory === undefined) {
    if (isNameTaken(context.checker, m.call, "pLimit")) return undefined;
    factory = "pLimit";
    edits.push(insertAt(file, at.offset, at.afterImport ? `\nimport pLimit from "p-limit";` : `import pLimit from "p-limit";\n\n`));
  }
  const limit = ["limit", "concurrencyLimit"].find((n) => !isNameTaken(context.checker, m.call, n));
  if (limit === undefined) return undefined;
  const callback = limitedCallback(skipOuterExpressions(m.callback), limit, context.checker);
  if (callback === undefined) return undefined;
  const declaration = `const ${limit} = ${factory}(${CONCURRENCY});`;
  edits.push(insertAt(file, at.offset, at.afterImport ? `\n\n${declaration}` : `${declaration}\n\n`));
  edits.push(replaceNode(file, m.callback, callback));
  return { title: `Run at most ${CONCURRENCY} at a time with p-limit`, edits, isPreferred: true };
}

function existingDefaultImport(file: ts.SourceFile, module: string): string | undefined {
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && normaliseModule(s.moduleSpecifier.text) === module && s.importClause?.name && !s.importClause.isTypeOnly) {
      return s.importClause.name.text;
    }
  }
  return undefined;
}

const HELPER_TS = `
/** Runs \`fn\` over \`items\` with at most \`limit\` calls in flight; results keep the order of \`items\`. */
async function ${HELPER_NAME}<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => PromiseLike<R> | R): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
`;

const HELPER_JS = `
/** Runs \`fn\` over \`items\` with at most \`limit\` calls in flight; results keep the order of \`items\`. */
async function ${HELPER_NAME}(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
`;

function hasHelper(file: ts.SourceFile): boolean {
  return file.statements.some((s) => ts.isFunctionDeclaration(s) && s.name?.text === HELPER_NAME);
}

/** `Promise.all(xs.map(f))` → `mapWithConcurrency(xs, 8, f)`, with the helper added at the end of the file. */
function helperFix(call: ts.CallExpression, m: Mapping, context: RuleContext): Fix | undefined {
  const file = call.getSourceFile();
  const collectionType = context.checker.getNonNullableType(context.checker.getTypeAtLocation(m.collection));
  if (!context.checker.isArrayType(collectionType) && !context.checker.isTupleType(collectionType)) return undefined;
  const cb = skipOuterExpressions(m.callback);
  const inlineAsync = (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && isAsync(cb) && cb.parameters.length <= 2;
  const reference = (ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) && (parameterCount(context.checker, cb) ?? 3) <= 2;
  if (!inlineAsync && !reference) return undefined;
  const edits: TextEdit[] = [];
  if (!hasHelper(file)) {
    if (isNameTaken(context.checker, call, HELPER_NAME)) return undefined;
    edits.push(insertAt(file, file.getEnd(), isTypeScript(file) ? HELPER_TS : HELPER_JS));
  }
  edits.push(replaceNode(file, call, `${HELPER_NAME}(${m.collection.getText(file)}, ${CONCURRENCY}, ${m.callback.getText(file)})`));
  return { title: `Run at most ${CONCURRENCY} at a time with a local helper`, edits, isPreferred: true };
}

/** The preferred fix for `Promise.<combinator>(xs.map(cb))`, when one can be written safely. */
export function boundedConcurrencyFix(call: ts.CallExpression, combinator: string, m: Mapping, context: RuleContext): Fix | undefined {
  if (calleeName(m.call.expression) !== "map") return undefined;
  if (nearestDependencies(context.facts, call.getSourceFile().fileName).has("p-limit")) {
    const fix = pLimitFix(m, context);
    if (fix) return fix;
  }
  // The helper keeps Promise.all's meaning; allSettled and any would change theirs.
  return combinator === "all" ? helperFix(call, m, context) : undefined;
}
