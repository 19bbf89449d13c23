// Which code runs while an async function runs, and so shares its event loop:
// the async function's own body, callbacks that run synchronously inside it
// (array iteration, the `new Promise` executor, an immediately invoked
// function) and callbacks it registers that the loop calls later (listeners,
// timers, promise reactions). Named helpers only defined inside it do not
// count here: they count where they are called.
// A default import: `import * as` would route every `ts.` access through a getter, which shows in whole-project walks.
import ts from "typescript";
import { calleeName, skipOuterExpressions } from "../../symbols";

/**
 * - `async-body`: directly in the async function's body, where `await` is legal;
 * - `sync-callback`: in a callback that runs before the call that takes it returns;
 * - `loop-callback`: in a callback the event loop runs later.
 */
export type RegionKind = "async-body" | "sync-callback" | "loop-callback";

export interface AsyncRegion {
  kind: RegionKind;
  /** The async function whose run this code belongs to. */
  asyncFunction: ts.FunctionLikeDeclaration;
}

/** Methods whose callback argument runs synchronously, before the method returns. */
export const SYNC_CALLBACK_METHODS = new Set([
  "forEach", "map", "filter", "reduce", "reduceRight", "some", "every", "find", "findIndex", "findLast", "findLastIndex",
  "flatMap", "sort", "toSorted", "from", "replace", "replaceAll",
]);

/** Functions and methods whose callback the event loop runs later. */
const LOOP_CALLBACK_CALLS = new Set(["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "nextTick", "then", "catch", "finally"]);

/** Listener registrations: `emitter.on("event", listener)`. */
const LISTENER_METHODS = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener", "addEventListener"]);

/**
 * `process` events whose handlers must finish synchronously (`exit` cannot run
 * async work) or that run only on the way down, where synchronous clean-up is
 * the norm.
 */
const PROCESS_SHUTDOWN_EVENTS = new Set(["exit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "SIGQUIT", "uncaughtException"]);

export function isAsyncFunction(node: ts.Node): boolean {
  return ts.isFunctionLike(node) && "body" in node && !!ts.getModifiers(node as ts.FunctionLikeDeclaration)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

export function isGenerator(node: ts.FunctionLikeDeclaration): boolean {
  return (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken !== undefined;
}

/** A function-like node with a body of its own (not a signature or a type). */
export function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return (node as ts.FunctionLikeDeclaration).body !== undefined;
    default:
      return false;
  }
}

/**
 * When a non-async function expression is passed as a callback, says when it
 * runs: during the call (`sync`), later on the loop (`loop`), or undefined
 * when the callee is unknown or the handler is synchronous by contract.
 */
export function callbackTiming(fn: ts.FunctionLikeDeclaration): "sync" | "loop" | undefined {
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return undefined;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
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
  if (SYNC_CALLBACK_METHODS.has(name) && ts.isPropertyAccessExpression(skipOuterExpressions(parent.expression))) return "sync";
  if (LOOP_CALLBACK_CALLS.has(name)) return "loop";
  if (LISTENER_METHODS.has(name)) return isShutdownHandler(parent) ? undefined : "loop";
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
export function forEachAsyncRegionNode(file: ts.SourceFile, visit: (node: ts.Node, region: AsyncRegion) => void): void {
  const walk = (node: ts.Node, region: AsyncRegion | undefined): void => {
    if (isFunctionWithBody(node)) {
      // Parameter defaults are outside the body's region, but may hold async functions of their own.
      node.parameters.forEach((p) => walk(p, undefined));
      walk(node.body!, regionOfFunction(node, region));
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

function regionOfFunction(fn: ts.FunctionLikeDeclaration, outer: AsyncRegion | undefined): AsyncRegion | undefined {
  if (isAsyncFunction(fn)) return { kind: "async-body", asyncFunction: fn };
  if (outer === undefined || isGenerator(fn)) return undefined;
  const timing = callbackTiming(fn);
  if (timing === "sync") return { kind: outer.kind === "loop-callback" ? "loop-callback" : "sync-callback", asyncFunction: outer.asyncFunction };
  if (timing === "loop") return { kind: "loop-callback", asyncFunction: outer.asyncFunction };
  return undefined;
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
