// Which code runs while an async function runs, and so shares its event loop:
// the async function's own body, callbacks that run synchronously inside it
// (array iteration, the `new Promise` executor, an immediately invoked
// function) and callbacks it registers that the loop calls later (listeners,
// timers, promise reactions). Named helpers only defined inside it do not
// count here: they count where they are called. Outside async functions,
// promise code is async code too, and so are the listeners a program
// registers on its long-lived event sources (see event-sources.ts) and the
// handlers it registers on a server (see server-handlers.ts). Inside async
// code, a callback handed to a project function that calls it back is the
// caller's continuation, and so async code too.
import ts from "typescript";
import { argumentSite, isAsyncFunction, isFunctionWithBody, isGenerator, outsideParentheses } from "../../ast/functions";
import { callbackKind, PROCESS_SHUTDOWN_EVENTS, runsCallbackDuringCall } from "../../catalogue/callbacks";
import { calleeName, skipOuterExpressions } from "../../symbols";
import type { EventSources } from "./event-sources";
import type { ProjectFunctions } from "./project-functions";

/** What the walk asks about a listener before counting it as async code. */
export interface ListenerFacts extends Pick<EventSources, "isLongLived" | "isServerFactory">, Pick<ProjectFunctions, "callsBack"> {
  /** Whether anything in the listener could block: a syntactic test, asked first since the others cost checker calls. */
  mayBlock(fn: ts.FunctionLikeDeclaration): boolean;
  /** Whether the function is registered as a handler on a server. */
  isServerHandler(fn: ts.FunctionLikeDeclaration): boolean;
}

/**
 * - `async-body`: directly in the async function's body, where `await` is legal;
 * - `promise-body`: in a function that is not `async` but returns a promise,
 *   which makes it async code as much as an `async` one (no `await` there);
 * - `sync-callback`: in a callback that runs before the call that takes it returns;
 * - `loop-callback`: in a callback the event loop runs later.
 */
export type RegionKind = "async-body" | "promise-body" | "sync-callback" | "loop-callback";

export interface AsyncRegion {
  kind: RegionKind;
  /** The async function whose run this code belongs to. */
  asyncFunction: ts.FunctionLikeDeclaration;
}

/**
 * When a non-async function expression is passed as a callback, says when it
 * runs: during the call (`sync`), later on the loop (`loop`), or undefined
 * when the callee is unknown or the handler is synchronous by contract.
 */
export function callbackTiming(fn: ts.FunctionLikeDeclaration): "sync" | "loop" | undefined {
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return undefined;
  const node = outsideParentheses(fn);
  const parent = node.parent;
  // (() => { … })(): an immediately invoked function runs right there.
  if (ts.isCallExpression(parent) && parent.expression === node) return "sync";
  if (ts.isNewExpression(parent) && parent.arguments?.includes(node as ts.Expression)) {
    const callee = skipOuterExpressions(parent.expression);
    return ts.isIdentifier(callee) && callee.text === "Promise" ? "sync" : undefined;
  }
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(node as ts.Expression)) return undefined;
  const name = calleeName(parent.expression);
  if (name === undefined) return undefined;
  if (runsCallbackDuringCall(name) && ts.isPropertyAccessExpression(skipOuterExpressions(parent.expression))) return "sync";
  const kind = callbackKind(name);
  if (kind === "scheduled") return "loop";
  if (kind === "listener" || kind === "once-listener") return isShutdownHandler(parent) ? undefined : "loop";
  return undefined;
}

function isShutdownHandler(registration: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(registration.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  const event = registration.arguments[0];
  if (!ts.isIdentifier(receiver) || receiver.text !== "process" || event === undefined) return false;
  // `for (const signal of signals) process.on(signal, …)`: an event chosen at run time is a signal in practice.
  return !ts.isStringLiteralLike(event) || PROCESS_SHUTDOWN_EVENTS.has(event.text);
}

/**
 * Visits every node of the file that runs while some async function runs,
 * with the region it belongs to. Nodes outside async code are not visited
 * (their children are, to find async functions nested in them).
 */
export function forEachAsyncRegionNode(file: ts.SourceFile, sources: ListenerFacts, visit: (node: ts.Node, region: AsyncRegion) => void, skip: (node: ts.Node) => boolean = () => false): void {
  const walk = (node: ts.Node, region: AsyncRegion | undefined): void => {
    if (skip(node)) return;
    if (isFunctionWithBody(node)) {
      // Parameter defaults are outside the body's region, but may hold async functions of their own.
      node.parameters.forEach((p) => walk(p, undefined));
      walk(node.body!, regionOfFunction(node, region, sources));
      return;
    }
    if (ts.isClassLike(node) && region !== undefined) {
      // A class declared inside async code: its members run when called or constructed, not here.
      ts.forEachChild(node, (child) => walk(child, undefined));
      return;
    }
    if (region !== undefined) visit(node, region);
    ts.forEachChild(node, (child) => walk(child, region));
  };
  walk(file, undefined);
}

function regionOfFunction(fn: ts.FunctionLikeDeclaration, outer: AsyncRegion | undefined, sources: ListenerFacts): AsyncRegion | undefined {
  if (isAsyncFunction(fn)) return { kind: "async-body", asyncFunction: fn };
  if (isGenerator(fn)) return undefined;
  if (outer === undefined) return promiseRegion(fn) ?? listenerRegion(fn, sources) ?? (sources.isServerHandler(fn) ? { kind: "loop-callback", asyncFunction: fn } : undefined);
  const timing = callbackTiming(fn);
  if (timing === "sync") return { kind: outer.kind === "loop-callback" ? "loop-callback" : "sync-callback", asyncFunction: outer.asyncFunction };
  // A continuation runs now or later: `loop-callback` either way, where `await` is not legal.
  if (timing === "loop" || isContinuation(fn, sources)) return { kind: "loop-callback", asyncFunction: outer.asyncFunction };
  return undefined;
}

/** `God.killProcess(pid, env, function (err) {…})`, where `killProcess` calls its `cb` back. */
function isContinuation(fn: ts.FunctionLikeDeclaration, sources: ListenerFacts): boolean {
  const site = argumentSite(fn);
  return site !== undefined && sources.mayBlock(fn) && sources.callsBack(site.call, site.index);
}

/**
 * Promise code outside any `async` function: a promise reaction
 * (`.then`/`.catch`/`.finally` callback), a promise executor, or a function
 * that returns a promise. Its callers treat it as asynchronous, so what it
 * blocks, it blocks for every other task.
 */
function promiseRegion(fn: ts.FunctionLikeDeclaration): AsyncRegion | undefined {
  if (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) {
    const site = argumentSite(fn);
    if (site !== undefined && PROMISE_REACTIONS.has(calleeName(site.call.expression) ?? "") && ts.isPropertyAccessExpression(skipOuterExpressions(site.call.expression))) {
      return { kind: "loop-callback", asyncFunction: fn };
    }
    const node = outsideParentheses(fn);
    const parent = node.parent;
    if (ts.isNewExpression(parent) && isPromiseConstructor(parent.expression) && parent.arguments?.[0] === node) return { kind: "sync-callback", asyncFunction: fn };
  }
  return returnsPromise(fn) ? { kind: "promise-body", asyncFunction: fn } : undefined;
}

/** A listener on a long-lived event source (`child.once("exit", fn)`, `server.on("connection", fn)`, `http.createServer(fn)`). */
function listenerRegion(fn: ts.FunctionLikeDeclaration, sources: ListenerFacts): AsyncRegion | undefined {
  const registration = argumentSite(fn)?.call;
  if (registration === undefined) return undefined;
  const callee = skipOuterExpressions(registration.expression);
  const kind = callbackKind(calleeName(callee) ?? "");
  const onSource = (kind === "listener" || kind === "once-listener") && ts.isPropertyAccessExpression(callee);
  if (!onSource && !sources.isServerFactory(registration)) return undefined;
  if (!sources.mayBlock(fn) || (onSource && !sources.isLongLived(callee.expression))) return undefined;
  return { kind: "loop-callback", asyncFunction: fn };
}

const PROMISE_REACTIONS = new Set(["then", "catch", "finally"]);

function isPromiseConstructor(callee: ts.Expression): boolean {
  const e = skipOuterExpressions(callee);
  return ts.isIdentifier(e) && e.text === "Promise";
}

/**
 * Declared to return a promise, or returning one that the syntax shows
 * (`new Promise(…)`, `Promise.resolve(…)`, `x.then(…)`): its other returns
 * are promises too, or its callers could not await it.
 */
function returnsPromise(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.type && ts.isTypeReferenceNode(fn.type) && ts.isIdentifier(fn.type.typeName) && fn.type.typeName.text === "Promise") return true;
  if (!fn.body) return false;
  if (!ts.isBlock(fn.body)) return isPromiseExpression(fn.body);
  const returned: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returned.some(isPromiseExpression);
}

function isPromiseExpression(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (ts.isNewExpression(e)) return isPromiseConstructor(e.expression);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  return PROMISE_REACTIONS.has(callee.name.text) || isPromiseConstructor(callee.expression);
}

/**
 * Visits the nodes that run while a synchronous function runs: its body and
 * the callbacks that run synchronously inside it, not nested functions or
 * callbacks the loop calls later.
 */
export function forEachNodeRunDuring(fn: ts.FunctionLikeDeclaration, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    if (isFunctionWithBody(node)) {
      if (!isAsyncFunction(node) && !isGenerator(node) && callbackTiming(node) === "sync") walk(node.body!);
      return;
    }
    if (ts.isClassLike(node)) return;
    visit(node);
    ts.forEachChild(node, walk);
  };
  if (fn.body) walk(fn.body);
}
