// Code in async code that runs once per process, not once per call: a value
// memoised in storage that outlives the call (`this.config ??= readFileSync(…)`,
// `if (cached === undefined) cached = statSync(…)`, `if (cached) return cached;`
// before the read that fills it), or a block behind a flag the block itself
// sets (`if (!loaded) { loaded = true; … }`, `if (watchers.length) return;`
// before code that pushes to `watchers`). Only the first call pays, as
// start-up code does, which the spec exempts ("memoised or flag-guarded
// one-off reads"). A cache keyed by input (`cache[key] ??= …`) is not exempt:
// every new key pays again.
import ts from "typescript";
import { isAsyncFunction, isFunctionWithBody, isGenerator } from "../../ast/functions";
import { callbackTiming } from "./async-context";
import { receiverKey } from "../../ast/receivers";
import { skipOuterExpressions } from "../../symbols";

const MEMO_ASSIGNMENTS = new Set([ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);
const MEMO_FALLBACKS = new Set([ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken]);

/** True when `node` sits behind a memo or a one-shot flag of storage that outlives its function's call. */
export function runsOnce(node: ts.Node): boolean {
  const fn = enclosingBoundary(node);
  for (let n = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isBinaryExpression(p) && p.right === n) {
      const op = p.operatorToken.kind;
      // x ??= read(…)
      if (MEMO_ASSIGNMENTS.has(op) && outlivesCall(receiverKey(p.left), fn)) return true;
      // x ?? (x = read(…))
      const assigned = skipOuterExpressions(p.right);
      if (MEMO_FALLBACKS.has(op) && isPlainAssignment(assigned) && sameStorage(assigned.left, p.left, fn)) return true;
    }
    // if (x === undefined) { …; x = …; }
    if (ts.isIfStatement(p) && p.thenStatement === n && unsetTests(p.expression).some((key) => outlivesCall(key, fn) && assigns(n, key))) return true;
    // if (x) return x; …; x = …;
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      const statements = p.statements;
      const at = statements.indexOf(n as ts.Statement);
      for (let i = 0; i < at; i++) {
        const s = statements[i];
        if (ts.isIfStatement(s) && !s.elseStatement && exits(s.thenStatement) && setTests(s.expression).some((key) => outlivesCall(key, fn) && statements.slice(i + 1).some((later) => assigns(later, key)))) return true;
      }
    }
  }
  return false;
}

/** The function whose call `node` runs in: callbacks run during the call (a promise executor, `forEach`) are part of it. */
function enclosingBoundary(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionWithBody(n) && !runsDuringCall(n)) return n;
  return undefined;
}

function runsDuringCall(n: ts.Node): boolean {
  return isFunctionWithBody(n) && !isAsyncFunction(n) && !isGenerator(n) && callbackTiming(n) === "sync";
}

function isPlainAssignment(e: ts.Expression): e is ts.BinaryExpression {
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function sameStorage(a: ts.Expression, b: ts.Expression, fn: ts.Node | undefined): boolean {
  const key = receiverKey(a);
  return key !== undefined && key === receiverKey(b) && outlivesCall(key, fn);
}

/**
 * Storage kept between calls: a property (`this.x`, `Cls.x`, `state.x`) or a
 * variable declared outside the function. A local of the function is made
 * anew by every call, so its memo holds for one call only.
 */
function outlivesCall(key: string | undefined, fn: ts.Node | undefined): key is string {
  if (key === undefined) return false;
  if (key.includes(".") || fn === undefined) return true;
  return !declaresLocal(fn, key);
}

function declaresLocal(fn: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name) && n.name.text === name) {
      found = true;
      return;
    }
    if (n !== fn && ((isFunctionWithBody(n) && !runsDuringCall(n)) || ts.isClassLike(n))) return;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The storages a condition requires to be unset: `!x`, `x === undefined`, `x == null`, `typeof x === "undefined"`, either side of `&&`. */
function unsetTests(cond: ts.Expression): string[] {
  const e = skipOuterExpressions(cond);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return keyList(e.operand);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return [...unsetTests(e.left), ...unsetTests(e.right)];
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) return comparedToNothing(e);
  }
  return [];
}

/** The storages a condition requires to be set: `x`, `x !== undefined`, `x != null`, either side of `&&`. */
function setTests(cond: ts.Expression): string[] {
  const e = skipOuterExpressions(cond);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return [...setTests(e.left), ...setTests(e.right)];
    if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return comparedToNothing(e);
    return [];
  }
  return keyList(e);
}

function comparedToNothing(e: ts.BinaryExpression): string[] {
  const [left, right] = [skipOuterExpressions(e.left), skipOuterExpressions(e.right)];
  if (isNothing(right)) return keyList(typeofOperand(left) ?? left);
  if (isNothing(left)) return keyList(typeofOperand(right) ?? right);
  return [];
}

function isNothing(e: ts.Expression): boolean {
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === "undefined") || (ts.isStringLiteral(e) && e.text === "undefined") || ts.isVoidExpression(e);
}

function typeofOperand(e: ts.Expression): ts.Expression | undefined {
  return ts.isTypeOfExpression(e) ? e.expression : undefined;
}

/** The storage a test names; `x.length` or `x.size` may also stand for the collection `x`. */
function keyList(e: ts.Expression): string[] {
  const key = receiverKey(e);
  if (key === undefined) return [];
  const collection = key.replace(/\.(length|size)$/, "");
  return collection === key ? [key] : [key, collection];
}

const FILLING_METHODS = new Set(["push", "unshift", "add", "set"]);

/** A branch that leaves the function: `return …`, `throw …`, or a block ending in one. */
function exits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  return ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]);
}

/**
 * True when `node` assigns `key`, or fills it (`key.push(…)`, `key.add(…)`),
 * in the code that runs with it: not in functions run later.
 */
function assigns(node: ts.Node, key: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (isFunctionWithBody(n) && !runsDuringCall(n)) || ts.isClassLike(n)) return;
    const assigned = ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && receiverKey(n.left) === key;
    if (assigned || isFilling(n, key)) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function isFilling(n: ts.Node, key: string): boolean {
  if (!ts.isCallExpression(n)) return false;
  const callee = skipOuterExpressions(n.expression);
  return ts.isPropertyAccessExpression(callee) && FILLING_METHODS.has(callee.name.text) && receiverKey(callee.expression) === key;
}
