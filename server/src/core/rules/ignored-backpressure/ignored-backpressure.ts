// ignored-backpressure: a stream written to again and again while its
// "slow down" signal is ignored: `write()` returning false with no wait for
// 'drain', `push()` returning false, or a WebSocket `send()` broadcast with
// no look at `bufferedAmount`. The buffer then grows as fast as the producer.
import ts from "typescript";
import { enclosingFunction } from "../../ast/functions";
import { isLiteralCollection, isPlainCollection, rootOf } from "../../flow/collections";
import { isResultIgnored, isWithin, repetitionsAround, someDescendant, type Repetition } from "../../flow/repetition";
import { callsNamed, queueSites } from "../../flow/call-sites";
import type { Rule, RuleContext } from "../../rule";
import { streamKindOf, type StreamKind } from "./streams";
import { calleeName, skipOuterExpressions } from "../../symbols";
import { drainFix } from "./drain-fix";

export const ignoredBackpressure: Rule = {
  meta: {
    id: "ignored-backpressure",
    description: "Repeated stream writes and WebSocket sends that ignore backpressure.",
    defaultSeverity: "warning",
    fixable: true,
    hazard: "queues",
    messages: {
      send: {
        text: "`{receiver}.send()` runs for every {repetition} and nothing checks `bufferedAmount`, so a slow client's send buffer grows without bound. Skip, drop or close clients whose `bufferedAmount` is above a limit.",
        why: "so a slow client's send buffer grows without bound",
        action: "Skip, drop or close clients whose `bufferedAmount` is above a limit",
      },
      push: {
        text: "`{receiver}.push()` runs for every {repetition} and ignores its `false` result, so the readable buffer grows past its high-water mark when the consumer is slow. Stop pushing when push() returns false and continue in the next `_read()`.",
        why: "so the readable buffer grows past its high-water mark when the consumer is slow",
        action: "Stop pushing when push() returns false and continue in the next `_read()`",
      },
      // The three `write` messages differ in the advice: what the offered fix does, or what fits a handler or a loop.
      "write-drain-fix": {
        text: "`{receiver}.write()` runs for every {repetition} and ignores its `false` result, so the stream buffers everything in memory whenever its destination is slower. Wait for 'drain' when it returns false, giving up when {receiver} closes or fails first (a reader that went away never drains), or use `pipeline()`.",
        why: "so the stream buffers everything in memory whenever its destination is slower",
        action: "Wait for 'drain' when it returns false, giving up when {receiver} closes or fails first (a reader that went away never drains), or use `pipeline()`",
      },
      "write-in-handler": {
        text: "`{receiver}.write()` runs for every {repetition} and ignores its `false` result, so the stream buffers everything in memory whenever its destination is slower. Connect source and destination with `pipeline()`, or pause the source until {receiver} emits 'drain'.",
        why: "so the stream buffers everything in memory whenever its destination is slower",
        action: "Connect source and destination with `pipeline()`, or pause the source until {receiver} emits 'drain'",
      },
      "write-in-loop": {
        text: "`{receiver}.write()` runs for every {repetition} and ignores its `false` result, so the stream buffers everything in memory whenever its destination is slower. Use `pipeline()` with a readable source, or wait for 'drain' whenever write() returns false.",
        why: "so the stream buffers everything in memory whenever its destination is slower",
        action: "Use `pipeline()` with a readable source, or wait for 'drain' whenever write() returns false",
      },
    },
  },
  check(file, context) {
    const sites = queueSites(file);
    for (const method of ["write", "push", "send"] as const) for (const call of callsNamed(sites, method)) if (context.inScope(call)) checkCall(call, method, context);
  },
};

const WANTED: Record<string, StreamKind> = { write: "writable", push: "readable", send: "websocket" };

function checkCall(call: ts.CallExpression, method: "write" | "push" | "send", context: RuleContext): void {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || call.arguments.length === 0) return;
  const receiver = callee.expression;
  if (method !== "send" && !isResultIgnored(call)) return;
  if (method === "push" && (isNullLiteral(call.arguments[0]) || inTransformMethod(call) || pushesUpToReadSize(call))) return;
  // Cheap syntactic exclusions before asking the checker: arrays are pushed to everywhere.
  if (method === "push" && isPlainCollection(receiver)) return;
  const repetition = countedRepetition(call, receiver, method, context.checker);
  if (!repetition || isPacedByTimer(repetition)) return;
  // `for (…) await new Promise((r) => out.write(chunk, r))`: one write per promise, each awaited. A loop inside the executor is no such thing.
  const executor = promiseExecutorAround(call);
  if (executor && !isWithin(repetition.node, executor)) return;
  const kind = streamKindOf(context.program, context.checker, receiver, WANTED[method]);
  if (kind !== WANTED[method]) return;
  const scope: ts.Node = enclosingFunction(repetition.node) ?? call.getSourceFile();
  const data = { receiver: receiver.getText(), repetition: repetitionNoun(repetition) };
  if (method === "send") {
    if (mentions(scope, ["bufferedAmount"])) return;
    context.report({
      node: call,
      messageId: "send",
      data,
      related: [{ node: repetition.node, message: "the repetition that keeps sending" }],
    });
    return;
  }
  if (method === "push") {
    context.report({
      node: call,
      messageId: "push",
      data,
      related: [{ node: repetition.node, message: "the repetition that keeps pushing" }],
    });
    return;
  }
  if (mentions(scope, ["drain", "writableNeedDrain", "writableLength"])) return;
  const fix = drainFix(call, receiver, repetition, context);
  context.report({
    node: call,
    messageId: fix ? "write-drain-fix" : repetition.kind === "handler" ? "write-in-handler" : "write-in-loop",
    data,
    related: [{ node: repetition.node, message: "the repetition that keeps writing" }],
    fixes: fix ? [fix] : [],
  });
}

const SLEEPS = /^(sleep|delay|wait|setTimeout|timeout|pause)$/;

/** A loop that awaits a sleep on every turn (`await sleep(1000)`) writes at the pace of its timer. */
function isPacedByTimer(r: Repetition): boolean {
  if (r.kind !== "loop") return false;
  return someDescendant((r.node as ts.IterationStatement).statement, (n) => {
    if (!ts.isAwaitExpression(n)) return false;
    const e = skipOuterExpressions(n.expression);
    if (ts.isCallExpression(e)) return SLEEPS.test(calleeName(e.expression) ?? "");
    return ts.isNewExpression(e) && someDescendant(e, (x) => ts.isIdentifier(x) && x.text === "setTimeout");
  });
}

function isNullLiteral(e: ts.Expression): boolean {
  return skipOuterExpressions(e).kind === ts.SyntaxKind.NullKeyword;
}

/** A Transform's `_transform`/`_flush` may push freely: Node holds the next input back until the readable side drains. */
function inTransformMethod(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  const name = fn && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : fn && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  return name === "_transform" || name === "_flush" || name === "transform" || name === "flush";
}

/** `_read(size)` that counts its pushes against `size` honours the request it was given. */
function pushesUpToReadSize(call: ts.CallExpression): boolean {
  const fn = enclosingFunction(call);
  const name = fn?.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  const size = fn?.parameters[0]?.name;
  if ((name !== "_read" && name !== "read") || !size || !ts.isIdentifier(size)) return false;
  const loop = repetitionsAround(call).find((r) => r.kind === "loop");
  return !!loop && someDescendant(loop.node, (n) => ts.isIdentifier(n) && n.text === size.text && n !== size);
}

/** The `new Promise` executor the call is made in, if it is made directly in one. */
function promiseExecutorAround(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const fn = enclosingFunction(node);
  return fn && fn.parent && ts.isNewExpression(fn.parent) && ts.isIdentifier(fn.parent.expression) && fn.parent.expression.text === "Promise" ? fn : undefined;
}

/** The binding of a loop variable or an iteration callback's parameter: one per element. */
function isElementBinding(decl: ts.Node, r: Repetition): boolean {
  if (r.kind === "iteration") return ts.isParameter(decl) && decl.parent === r.node;
  if (r.kind === "loop" && (ts.isForOfStatement(r.node) || ts.isForInStatement(r.node))) return isWithin(decl, r.node.initializer);
  return false;
}

/**
 * The repetition that makes this call write to the same stream again and
 * again, or to many streams in turn (a broadcast). A stream made afresh on
 * each iteration or per event (`const out = createWriteStream(f)` in a loop,
 * the socket of a 'connection' event) is written once per stream: look further out.
 */
function countedRepetition(call: ts.CallExpression, receiver: ts.Expression, method: string, checker: ts.TypeChecker): Repetition | undefined {
  const reps = repetitionsAround(call).filter((r) => (method === "send" ? r.kind === "loop" || r.kind === "iteration" : true));
  if (reps.length === 0) return undefined;
  const root = rootOf(receiver);
  const decl = ts.isIdentifier(root) ? checker.getSymbolAtLocation(root)?.valueDeclaration : undefined;
  for (const r of reps) {
    // A loop over a handful of known elements writes a handful of times.
    if (iteratesBoundedCollection(r, checker)) continue;
    if (!decl || !isWithin(decl, r.node)) return r;
    if (isElementBinding(decl, r)) return r;
  }
  return undefined;
}

function iteratesBoundedCollection(r: Repetition, checker: ts.TypeChecker): boolean {
  if (r.kind === "iteration" && r.call && ts.isPropertyAccessExpression(r.call.expression)) return isLiteralCollection(checker, r.call.expression.expression);
  if (r.kind !== "loop") return false;
  const loop = r.node;
  if (ts.isForOfStatement(loop)) return !loop.awaitModifier && isLiteralCollection(checker, loop.expression);
  // for (let i = 0; i < 3; i++)
  if (ts.isForStatement(loop) && loop.condition && ts.isBinaryExpression(loop.condition)) return ts.isNumericLiteral(skipOuterExpressions(loop.condition.right));
  return false;
}

function repetitionNoun(r: Repetition): string {
  if (r.kind === "handler") return r.event !== undefined ? `'${r.event}' event` : "event it listens to";
  if (r.kind === "interval") return "tick of an interval";
  if (r.kind === "iteration") return "element it iterates over";
  return "turn of this loop";
}

function mentions(scope: ts.Node, words: readonly string[]): boolean {
  return someDescendant(scope, (n) => (ts.isStringLiteralLike(n) || ts.isIdentifier(n)) && words.includes(n.text));
}
