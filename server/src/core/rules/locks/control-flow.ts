// Paths through a critical section, read from the syntax: what can throw or
// reject between taking a lock and giving it back, and which `return`s,
// `throw`s, `break`s and `continue`s leave before the release.
import * as ts from "typescript";
import { calleeName, skipOuterExpressions } from "../../symbols";

/** Calls that do not throw in practice: logging, collections, arithmetic, conversions. */
const SAFE_CALLS = new Set([
  "log", "debug", "info", "warn", "error", "trace", "verbose",
  "push", "set", "get", "has", "add", "delete", "clear", "now", "max", "min", "floor", "ceil", "round", "abs", "random",
  "isArray", "keys", "values", "entries", "toString", "String", "Number", "Boolean", "parseInt", "parseFloat",
  "slice", "concat", "join", "includes", "indexOf", "startsWith", "endsWith", "trim", "toLowerCase", "toUpperCase",
  "map", "filter", "some", "every", "find", "findIndex", "forEach", "sort", "reduce", "resolve", "reject", "emit",
  "clearTimeout", "setTimeout", "setImmediate", "clearInterval", "assign", "freeze", "stringify", "getTime",
  "splice", "pop", "shift", "unshift", "at", "flat", "flatMap", "reverse", "fill", "lastIndexOf", "findLast",
  "split", "replace", "replaceAll", "substring", "charAt", "charCodeAt", "padStart", "padEnd", "trimStart", "trimEnd",
  "toFixed", "toISOString", "valueOf", "isInteger", "isFinite", "isNaN", "fromEntries", "hasOwnProperty",
]);

/** Names of calls that are synchronous by convention (collections, strings, logging). */
export function isCommonSyncName(name: string): boolean {
  return SAFE_CALLS.has(name);
}

function isFunctionBoundary(n: ts.Node): boolean {
  return ts.isFunctionLike(n) || ts.isClassLike(n);
}

function isSafeCall(call: ts.CallExpression | ts.NewExpression, isRelease: (n: ts.Node) => boolean): boolean {
  if (isRelease(call)) return true;
  if (ts.isNewExpression(call)) return /^(Map|Set|Date|Array|Object|WeakMap|WeakSet|Error|AbortController|URL)$/.test(call.expression.getText());
  const name = calleeName(call.expression);
  if (name === undefined) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && /^(console|logger|log|this\.log(ger)?|this\.logger)$/i.test(callee.expression.getText())) return true;
  return SAFE_CALLS.has(name);
}

export interface ThrowOptions {
  /** Count calls (any call may throw), or only awaits and throws. */
  calls: boolean;
  /** The release itself, which is not a risk before itself. */
  isRelease: (n: ts.Node) => boolean;
}

/** The first node under `root` that can throw or reject on its way, or undefined. */
export function firstThrower(root: ts.Node, options: ThrowOptions): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (n !== root && isFunctionBoundary(n))) return;
    if (ts.isTryStatement(n) && n.catchClause) {
      // A catch that does not rethrow stops what its try block throws.
      visit(n.catchClause.block);
      if (n.finallyBlock) visit(n.finallyBlock);
      return;
    }
    if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      // What follows a release in its block runs after the lock is given back.
      for (const statement of n.statements) {
        if (found || isClearingStatement(statement, options.isRelease)) return;
        visit(statement);
      }
      return;
    }
    if (ts.isThrowStatement(n)) {
      found = n;
      return;
    }
    if ((ts.isAwaitExpression(n) || ts.isYieldExpression(n)) && !(n.expression && options.isRelease(skipOuterExpressions(n.expression)))) {
      found = n;
      return;
    }
    if (options.calls && (ts.isCallExpression(n) || ts.isNewExpression(n)) && !isSafeCall(n, options.isRelease)) {
      found = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/** Whether a statement is, or directly contains as its expression, a call `isClear` accepts (`release();`, `await release();`). */
export function isClearingStatement(s: ts.Statement, isClear: (n: ts.Node) => boolean): boolean {
  if (!ts.isExpressionStatement(s)) return false;
  let e = skipOuterExpressions(s.expression);
  if (ts.isAwaitExpression(e) || ts.isVoidExpression(e)) e = skipOuterExpressions(e.expression);
  return isClear(e);
}

function precededByClear(exit: ts.Node, top: ts.Node, isClear: (n: ts.Node) => boolean): boolean {
  for (let n: ts.Node = exit; n.parent && n !== top; n = n.parent) {
    const parent = n.parent;
    if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isSourceFile(parent)) {
      const index = parent.statements.indexOf(n as ts.Statement);
      for (let i = 0; i < index; i++) if (isClearingStatement(parent.statements[i], isClear)) return true;
    }
  }
  return false;
}

function insideCatchingTry(n: ts.Node, top: ts.Node): boolean {
  for (let p: ts.Node = n; p.parent && p !== top; p = p.parent) {
    if (ts.isTryStatement(p.parent) && p.parent.tryBlock === p && p.parent.catchClause) return true;
  }
  return false;
}

function insideLoopOrSwitch(n: ts.Node, top: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p && p !== top; p = p.parent) {
    if (ts.isIterationStatement(p, false) || ts.isSwitchStatement(p)) return true;
  }
  return false;
}

/**
 * The `return`/`throw` (and, when the section is a loop body, `break`/`continue`)
 * statements among `statements` that leave without the clearing call before them.
 */
export function exitsWithoutClear(statements: readonly ts.Statement[], isClear: (n: ts.Node) => boolean, inLoop: boolean): ts.Node[] {
  const out: ts.Node[] = [];
  statements.forEach((top, index) => {
    if (statements.slice(0, index).some((s) => isClearingStatement(s, isClear))) return;
    const visit = (n: ts.Node): void => {
      if (isFunctionBoundary(n)) return;
      const exits =
        ts.isReturnStatement(n) ||
        (ts.isThrowStatement(n) && !insideCatchingTry(n, top)) ||
        (inLoop && (ts.isBreakStatement(n) || ts.isContinueStatement(n)) && !n.label && !insideLoopOrSwitch(n, top));
      if (exits && !precededByClear(n, top, isClear)) out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(top);
  });
  return out;
}

/** Whether `node` sits (directly or nested) in the body of a loop within `fn`. */
export function isInLoop(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p && !isFunctionBoundary(p); p = p.parent) {
    if (ts.isIterationStatement(p, false)) return true;
  }
  return false;
}
