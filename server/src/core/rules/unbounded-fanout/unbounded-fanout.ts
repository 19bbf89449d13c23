// unbounded-fanout: `Promise.all` (or allSettled/any) over async work mapped
// from a collection whose size nobody bounds: every element's request,
// query or file handle is started at once.
import ts from "typescript";
import { enclosingFunction, isAsyncFunction } from "../../ast/functions";
import { isBoundedCollection, isLengthChecked, isLimiterCallee, usesLimiter, wordsOf, type Mapping } from "./limiters";
import { boundedConcurrencyFix } from "./fix";
import { receiverKey } from "../../ast/receivers";
import { growsWithInput } from "./input-growth";
import { repetitionsAround, someDescendant, isWithin } from "../../flow/repetition";
import { callsNamed, queueSites } from "../../flow/call-sites";
import type { Rule, RuleContext } from "../../rule";
import { calleeName, isPromiseLike, skipOuterExpressions } from "../../symbols";

const COMBINATORS = new Set(["all", "allSettled", "any"]);

export const unboundedFanout: Rule = {
  meta: {
    id: "unbounded-fanout",
    description: "Promise.all over async work mapped from a collection of unknown size.",
    defaultSeverity: "information",
    fixable: true,
    hazard: "queues",
    messages: {
      mapped: {
        text: "`Promise.{combinator}` starts the async work for every element of {collection} at once, and the collection's size is not bounded, so a large input opens that many requests, handles or queries together. Limit the concurrency (p-limit, or a small worker pool).",
        why: "so a large input opens that many requests, handles or queries together",
        action: "Limit the concurrency (p-limit, or a small worker pool)",
      },
      pushed: {
        text: "`Promise.{combinator}` waits on a promise pushed for every element of {collection}, all started at once, and the collection's size is not bounded. Limit the concurrency (p-limit, or a small worker pool), or await in batches.",
        why: "all started at once, and the collection's size is not bounded",
        action: "Limit the concurrency (p-limit, or a small worker pool), or await in batches",
      },
    },
  },
  check(file, context) {
    const sites = queueSites(file);
    for (const name of COMBINATORS) {
      for (const call of callsNamed(sites, name)) {
        const callee = skipOuterExpressions(call.expression);
        if (call.arguments.length >= 1 && context.inScope(call) && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Promise") {
          checkCombinator(call, callee, context);
        }
      }
    }
  },
};

function mappingOf(expr: ts.Expression): Mapping | undefined {
  const e = skipOuterExpressions(expr);
  if (!ts.isCallExpression(e)) return undefined;
  const callee = skipOuterExpressions(e.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  // `_.map(items, fn)`: lodash and underscore take the collection first.
  const owner = skipOuterExpressions(callee.expression);
  if (name === "map" && ts.isIdentifier(owner) && (owner.text === "_" || owner.text === "lodash") && e.arguments.length >= 2) {
    return { call: e, collection: e.arguments[0], callback: e.arguments[1] };
  }
  if ((name === "map" || name === "flatMap") && e.arguments.length >= 1) return { call: e, collection: callee.expression, callback: e.arguments[0] };
  if (name === "from" && ts.isIdentifier(callee.expression) && callee.expression.text === "Array" && e.arguments.length >= 2) {
    return { call: e, collection: e.arguments[0], callback: e.arguments[1] };
  }
  return undefined;
}

/** True when the mapping yields promises: an async callback, or elements typed as promises. */
function mapsToPromises(m: Mapping, checker: ts.TypeChecker): boolean {
  const cb = skipOuterExpressions(m.callback);
  if (isAsyncFunction(cb)) return true;
  const element = elementType(checker, m.call);
  if (element && !(element.flags & ts.TypeFlags.Any)) return isPromiseLike(checker, element);
  // Untyped receivers make the map `any`: look at what the callback returns instead.
  const returned = returnedExpression(cb);
  if (returned) return startsWork(checker, returned);
  if (ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) {
    const type = checker.getTypeAtLocation(cb);
    if (type.flags & ts.TypeFlags.Any) return true;
    return type.getCallSignatures().some((sig) => isPromiseLike(checker, sig.getReturnType()));
  }
  return false;
}

/**
 * True when `expr` starts async work: typed as a promise, or an untyped call
 * (`db.insert(x)` from an untyped client) — handed to Promise.all, a call's
 * result is a promise in all but pointless code.
 */
function startsWork(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const type = checker.getTypeAtLocation(expr);
  if (type.flags & ts.TypeFlags.Any) {
    const e = skipOuterExpressions(expr);
    return ts.isCallExpression(e) || ts.isNewExpression(e);
  }
  return isPromiseLike(checker, type);
}

function elementType(checker: ts.TypeChecker, collection: ts.Expression): ts.Type | undefined {
  return checker.getIndexTypeOfType(checker.getNonNullableType(checker.getTypeAtLocation(collection)), ts.IndexKind.Number);
}

/** The expression a callback returns: an arrow's expression body, or a body that is a single `return`. */
function returnedExpression(cb: ts.Expression): ts.Expression | undefined {
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) return undefined;
  if (!ts.isBlock(cb.body)) return cb.body;
  const only = cb.body.statements.length === 1 ? cb.body.statements[0] : undefined;
  return only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** Operations that release resources: closing every connection at once is how shutdown should go. */
const TEARDOWN = new Set(["close", "destroy", "end", "stop", "dispose", "terminate", "disconnect", "unsubscribe", "cancel", "abort", "kill", "shutdown", "quit", "release", "unref"]);

/** True when the callback does nothing but tear down the element (`(c) => c.close()`, `async (s) => { await s.stop(); }`). */
function isTeardown(callback: ts.Expression): boolean {
  const cb = skipOuterExpressions(callback);
  let work: ts.Expression | undefined;
  if (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) {
    if (ts.isBlock(cb.body)) {
      const only = cb.body.statements.length === 1 ? cb.body.statements[0] : undefined;
      work = only && (ts.isReturnStatement(only) ? only.expression : ts.isExpressionStatement(only) ? only.expression : undefined);
    } else {
      work = cb.body;
    }
  }
  return !!work && isTeardownCall(work);
}

/** `c.close()`, `await s.stop()`, `node.quit().catch(ignoreClosed)`: a call whose verb releases what it is called on. */
function isTeardownCall(expr: ts.Expression): boolean {
  let e = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  // Handling the teardown's own failure does not make it other work.
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && PROMISE_HANDLERS.has(e.expression.name.text)) e = skipOuterExpressions(e.expression.expression);
  // `close()`, and also `endSession()`, `closeConnection()`: the verb comes first.
  return ts.isCallExpression(e) && TEARDOWN.has(wordsOf(calleeName(e.expression) ?? "")[0] ?? "");
}

const PROMISE_HANDLERS = new Set(["then", "catch", "finally"]);

/**
 * True when the work mapped over each element provably starts no I/O: a
 * `new Promise` whose executor only stores its callbacks (it waits for
 * something else to settle it), `Promise.resolve(value)`, or an async
 * callback that neither calls nor awaits anything. Nested functions are only
 * defined there, not run.
 */
function startsNoIo(callback: ts.Expression): boolean {
  const cb = skipOuterExpressions(callback);
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) return false;
  if (isAsyncFunction(cb)) return !runsAnyCall(cb.body);
  const returned = returnedExpression(cb);
  return !!returned && isIdlePromise(returned);
}

function isIdlePromise(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === "Promise") {
    return (e.expression.name.text === "resolve" || e.expression.name.text === "reject") && e.arguments.every((a) => !runsAnyCall(a));
  }
  if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== "Promise") return false;
  const executor = e.arguments?.[0] && skipOuterExpressions(e.arguments[0]);
  return !!executor && (ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) && !runsAnyCall(executor.body);
}

function runsAnyCall(root: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isTaggedTemplateExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/** Mapping over promises that already exist (`ps.map((p) => p.catch(...))`) starts nothing new. */
function mapsExistingPromises(checker: ts.TypeChecker, m: Mapping): boolean {
  const element = elementType(checker, m.collection);
  return !!element && !(element.flags & ts.TypeFlags.Any) && isPromiseLike(checker, element);
}

function describe(expr: ts.Expression): string {
  const text = expr.getText();
  return text.length <= 40 && !text.includes("\n") ? `\`${text}\`` : "the collection";
}

function checkCombinator(call: ts.CallExpression, callee: ts.PropertyAccessExpression, context: RuleContext): void {
  const arg = skipOuterExpressions(call.arguments[0]);
  const direct = mappingOf(arg);
  if (direct) {
    checkMapping(call, callee, direct, direct.call, context);
    return;
  }
  if (!ts.isIdentifier(arg)) return;
  const decl = context.checker.getSymbolAtLocation(arg)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return;
  const viaVariable = mappingOf(decl.initializer);
  if (viaVariable) {
    checkMapping(call, callee, viaVariable, undefined, context);
    return;
  }
  const init = skipOuterExpressions(decl.initializer);
  if (ts.isArrayLiteralExpression(init) && init.elements.length === 0) checkPushedPromises(call, callee, decl, arg.text, context);
}

function checkMapping(call: ts.CallExpression, callee: ts.PropertyAccessExpression, m: Mapping, inline: ts.CallExpression | undefined, context: RuleContext): void {
  // Syntactic tests first; the type queries below can cost a cold checker tenths of a second.
  if (usesLimiter(m.callback) || isInsideLimiter(call) || isTeardown(m.callback)) return;
  const cb = skipOuterExpressions(m.callback);
  // A named callback may be a limiter itself (`items.map(limitedFetch)`).
  if ((ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) && isLimiterCallee(cb)) return;
  if (isLengthChecked(m.collection, call, enclosingFunction(call) ?? call.getSourceFile())) return;
  if (isBoundedCollection(context.checker, m.collection)) return;
  if (startsNoIo(m.callback) || !growsWithInput(context.program, context.checker, m.collection)) return;
  if (!mapsToPromises(m, context.checker) || mapsExistingPromises(context.checker, m)) return;
  const fix = inline ? boundedConcurrencyFix(call, callee.name.text, m, context) : undefined;
  context.report({
    node: callee,
    messageId: "mapped",
    data: { combinator: callee.name.text, collection: describe(m.collection) },
    related: [{ node: m.call, message: "the async work mapped over the whole collection" }],
    fixes: fix ? [fix] : [],
  });
}

/** A fan-out inside a limited task (`limit(() => Promise.all(...))`) is bounded by that limiter's callers. */
function isInsideLimiter(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parent && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n) && isLimiterCallee(n.parent.expression)) return true;
  }
  return false;
}

/**
 * `const ps = []; for (const x of xs) ps.push(work(x)); await Promise.all(ps)`:
 * every push inside a loop over a collection of unknown size, of async work.
 */
function checkPushedPromises(call: ts.CallExpression, callee: ts.PropertyAccessExpression, decl: ts.VariableDeclaration, name: string, context: RuleContext): void {
  const scope: ts.Node = enclosingFunction(decl) ?? decl.getSourceFile();
  // Batching (`if (ps.length >= 10) await Promise.all(ps.splice(0))`) bounds the fan-out.
  const measured = someDescendant(scope, (n) => ts.isPropertyAccessExpression(n) && n.name.text === "length" && receiverKey(n.expression) === name);
  if (measured) return;
  let loop: { push: ts.CallExpression; collection: ts.Expression } | undefined;
  someDescendant(scope, (n) => {
    if (!ts.isCallExpression(n) || calleeName(n.expression) !== "push" || n.arguments.length !== 1) return false;
    const target = skipOuterExpressions(n.expression);
    if (!ts.isPropertyAccessExpression(target) || receiverKey(target.expression) !== name) return false;
    const collection = loopCollection(n);
    if (!collection || isWithin(call, collection.loop)) return false;
    const pushed = skipOuterExpressions(n.arguments[0]);
    if (usesLimiter(pushed) || isTeardownCall(pushed) || isIdlePromise(constValue(context.checker, pushed))) return false;
    if (!isAsyncFunctionCall(pushed) && !startsWork(context.checker, pushed)) return false;
    if (isBoundedCollection(context.checker, collection.expr) || isLengthChecked(collection.expr, collection.loop, scope)) return false;
    if (!growsWithInput(context.program, context.checker, collection.expr)) return false;
    loop = { push: n, collection: collection.expr };
    return true;
  });
  if (!loop) return;
  context.report({
    node: callee,
    messageId: "pushed",
    data: { combinator: callee.name.text, collection: describe(loop.collection) },
    related: [{ node: loop.push, message: "a promise is started here for each element" }],
  });
}

/** What a `const` name holds (`const confirmed = new Promise(…)`), or the expression itself. */
function constValue(checker: ts.TypeChecker, expr: ts.Expression): ts.Expression {
  if (!ts.isIdentifier(expr)) return expr;
  const decl = checker.getSymbolAtLocation(expr)?.valueDeclaration;
  return decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const ? decl.initializer : expr;
}

function stepsByOne(incrementor: ts.Expression | undefined): boolean {
  if (!incrementor) return false;
  const e = skipOuterExpressions(incrementor);
  if (ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.PlusPlusToken;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) {
    const step = skipOuterExpressions(e.right);
    return ts.isNumericLiteral(step) && step.text === "1";
  }
  return false;
}

/** `(async () => { … })()`: async work even where the checker sees `any`. */
function isAsyncFunctionCall(expr: ts.Expression): boolean {
  return ts.isCallExpression(expr) && isAsyncFunction(skipOuterExpressions(expr.expression));
}

/** The collection the innermost loop around `node` walks, when it walks one. */
function loopCollection(node: ts.Node): { expr: ts.Expression; loop: ts.Node } | undefined {
  const rep = repetitionsAround(node)[0];
  if (!rep) return undefined;
  if (rep.kind === "iteration" && rep.call && ts.isPropertyAccessExpression(rep.call.expression)) return { expr: rep.call.expression.expression, loop: rep.node };
  if (rep.kind !== "loop") return undefined;
  const loop = rep.node;
  if (ts.isForOfStatement(loop)) return { expr: loop.expression, loop };
  if (ts.isForInStatement(loop)) return { expr: loop.expression, loop };
  // for (let i = 0; i < xs.length; i++); a loop that steps by a batch size starts one task per batch, not per element.
  if (ts.isForStatement(loop) && loop.condition && ts.isBinaryExpression(loop.condition) && stepsByOne(loop.incrementor)) {
    const bound = skipOuterExpressions(loop.condition.right);
    if (ts.isPropertyAccessExpression(bound) && bound.name.text === "length") return { expr: bound.expression, loop };
  }
  return undefined;
}
