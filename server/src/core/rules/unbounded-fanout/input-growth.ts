// Evidence that a collection grows with what the program is given: a
// parameter (the caller's data, a request, a `.then` result), an awaited
// query or API call, a directory listing, parsed text, or something derived
// from one of these. A collection the code holds for itself (`this.nodes`,
// an object it filled one key per group, what a local helper builds from
// configuration) is no such evidence, however it is named: in real code those
// are the brokers of a cluster, the servers of a config, the entries already
// grouped one per connection.
import ts from "typescript";
import { projectFunctionOf, resolveAlias, resolveCallee, skipOuterExpressions } from "../../symbols";

const MAX_DEPTH = 8;

/** Methods whose result holds (some of) the receiver's elements: as large as the receiver can be. */
const DERIVING_METHODS = new Set([
  "map", "flatMap", "filter", "slice", "concat", "flat", "sort", "toSorted", "reverse", "toReversed", "values", "keys", "entries", "split", "from",
]);

/** True when `expr` is, or is derived from, data that grows with the program's input. */
export function growsWithInput(program: ts.Program, checker: ts.TypeChecker, expr: ts.Expression): boolean {
  return grows({ program, checker, seen: new Set() }, expr, 0);
}

interface Walk {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Declarations already followed: `let xs = …; xs = xs.concat(…)` must not loop. */
  seen: Set<ts.Node>;
}

function grows(w: Walk, expr: ts.Expression, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const e = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(e)) return awaitedGrows(w, e.expression, depth);
  if (ts.isIdentifier(e)) return identifierGrows(w, e, depth);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return grows(w, e.expression, depth + 1);
  if (e.kind === ts.SyntaxKind.ThisKeyword) return false;
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((el) => ts.isSpreadElement(el) && grows(w, el.expression, depth + 1));
  if (ts.isObjectLiteralExpression(e)) return e.properties.some((p) => ts.isSpreadAssignment(p) && grows(w, p.expression, depth + 1));
  if (ts.isConditionalExpression(e)) return grows(w, e.whenTrue, depth + 1) || grows(w, e.whenFalse, depth + 1);
  if (ts.isBinaryExpression(e)) return grows(w, e.left, depth + 1) || grows(w, e.right, depth + 1);
  if (ts.isNewExpression(e)) return (e.arguments ?? []).some((a) => grows(w, a, depth + 1));
  if (ts.isCallExpression(e)) return callGrows(w, e, depth);
  return false;
}

/** `await db.find()`, `await readdir(dir)`: a query or API result; a local helper's result is what the helper returns. */
function awaitedGrows(w: Walk, operand: ts.Expression, depth: number): boolean {
  const e = skipOuterExpressions(operand);
  if (!ts.isCallExpression(e)) return grows(w, e, depth + 1);
  const local = helperOf(w, e.expression);
  return !local || !groupsOnly(w, local, depth + 1);
}

/**
 * A helper that returns a grouping (`groupBy(…)`, a Map or object keyed per
 * group): its keys are as many as the groups, not as the input. Recognised by
 * what it returns, since the helper's own name says nothing reliable.
 */
function groupsOnly(w: Walk, fn: ts.FunctionLikeDeclaration, depth: number): boolean {
  if (depth > MAX_DEPTH || w.seen.has(fn)) return false;
  w.seen.add(fn);
  const returned = returnedExpressions(fn);
  return returned.length > 0 && returned.every((r) => isGrouping(w, r, depth + 1));
}

/**
 * The body of the project function a call runs, also where CommonJS hides it
 * (`const groupBy = require("./groupBy")` over `module.exports = async (…) => …`).
 */
function helperOf(w: Walk, callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const resolved = projectFunctionOf(resolveCallee(w.program, w.checker, callee));
  if (resolved) return resolved;
  const e = skipOuterExpressions(callee);
  const symbol = ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? w.checker.getSymbolAtLocation(ts.isIdentifier(e) ? e : e.name) : undefined;
  const target = symbol && resolveAlias(w.checker, symbol);
  const decl = target?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile || w.program.isSourceFileFromExternalLibrary(decl.getSourceFile())) return undefined;
  const value = ts.isBinaryExpression(decl) ? skipOuterExpressions(decl.right) : undefined;
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}

function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/** `xs.reduce(…, {})`, a `new Map()` filled per key, or a helper of this code that returns one of these. */
function isGrouping(w: Walk, expr: ts.Expression, depth: number): boolean {
  const e = skipOuterExpressions(ts.isAwaitExpression(skipOuterExpressions(expr)) ? (skipOuterExpressions(expr) as ts.AwaitExpression).expression : expr);
  if (ts.isNewExpression(e)) return ts.isIdentifier(e.expression) && e.expression.text === "Map";
  if (ts.isIdentifier(e)) {
    const decl = w.checker.getSymbolAtLocation(e)?.valueDeclaration;
    return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && isKeyedAccumulator(decl.initializer);
  }
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === "reduce") return isKeyedAccumulator(e.arguments[1]);
  const local = helperOf(w, callee);
  return !!local && groupsOnly(w, local, depth + 1);
}

function isKeyedAccumulator(init: ts.Expression | undefined): boolean {
  if (!init) return false;
  const e = skipOuterExpressions(init);
  return (ts.isObjectLiteralExpression(e) && e.properties.length === 0) || (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Map");
}

function callGrows(w: Walk, call: ts.CallExpression, depth: number): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    // One entry per key of an object filled per group: as many as the groups.
    if (name === "reduce") return !isKeyedAccumulator(call.arguments[1]) && grows(w, callee.expression, depth + 1);
    if (DERIVING_METHODS.has(name) && grows(w, callee.expression, depth + 1)) return true;
    if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) return false;
  }
  const ref = resolveCallee(w.program, w.checker, callee);
  // What Node reads from outside (`readdirSync(dir)`, `readFileSync(f)`) or parses (`JSON.parse(text)`) is input.
  if (ref && ((ref.module !== undefined && INPUT_MODULES.has(ref.module)) || (ref.origin === "lib" && ref.owner === "JSON"))) return true;
  // Any other helper, this code's or a library's (`_.values(x)`, `Object.keys(x)`): as large as what it is handed.
  return call.arguments.some((a) => grows(w, a, depth + 1));
}

/** Node modules whose calls return data read from outside the program. */
const INPUT_MODULES = new Set(["fs", "fs/promises", "child_process", "readline", "net", "http", "https", "http2", "dns", "dns/promises", "worker_threads"]);

function identifierGrows(w: Walk, id: ts.Identifier, depth: number): boolean {
  if (id.text === "arguments") return true;
  const symbol = w.checker.getSymbolAtLocation(id);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl || w.seen.has(decl)) return false;
  w.seen.add(decl);
  if (isParameterBinding(decl)) return true;
  const variable = variableOf(decl);
  if (!variable) return false;
  // `for (const x of xs)`: an element of xs, as large as xs's elements are.
  if (ts.isForOfStatement(variable.parent.parent) || ts.isForInStatement(variable.parent.parent)) return grows(w, variable.parent.parent.expression, depth + 1);
  const sources: ts.Expression[] = variable.initializer ? [variable.initializer] : [];
  // `let xs = []` and `xs = await query()` later: every value it is given counts.
  if (!(ts.getCombinedNodeFlags(variable) & ts.NodeFlags.Const) && ts.isIdentifier(variable.name)) sources.push(...assignmentsTo(variable, variable.name.text));
  return sources.some((s) => grows(w, s, depth + 1));
}

/** A parameter, or a name destructured from one: `({ topics })`, `(...paths)`. */
function isParameterBinding(decl: ts.Node): boolean {
  for (let n: ts.Node = decl; ; n = n.parent) {
    if (ts.isParameter(n)) return true;
    if (!ts.isBindingElement(n) && !ts.isObjectBindingPattern(n) && !ts.isArrayBindingPattern(n)) return false;
  }
}

/** The variable declaration a binding belongs to (through destructuring). */
function variableOf(decl: ts.Node): ts.VariableDeclaration | undefined {
  let n: ts.Node = decl;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return ts.isVariableDeclaration(n) ? n : undefined;
}

function assignmentsTo(variable: ts.VariableDeclaration, name: string): ts.Expression[] {
  const scope = scopeOf(variable);
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(n.left);
      if (ts.isIdentifier(left) && left.text === name) out.push(n.right);
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

function scopeOf(node: ts.Node): ts.Node {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return node.getSourceFile();
}
