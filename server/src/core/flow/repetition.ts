// Where code runs again and again: loops, array-iteration callbacks, event
// handlers that fire once per event, and interval timers. The queue and
// backpressure rules only care about work that repeats, since one write or
// one enqueue cannot make anything grow.
import * as ts from "typescript";
import { callsNamed, queueSites } from "./call-sites";
import { calleeName, skipOuterExpressions } from "../symbols";

export type RepetitionKind =
  /** A loop statement; the node is the loop. */
  | "loop"
  /** A callback of `forEach`/`map`/...: runs once per element. */
  | "iteration"
  /** A listener registered with `on`/`addListener`: runs once per event. */
  | "handler"
  /** A `setInterval` callback. */
  | "interval";

export interface Repetition {
  kind: RepetitionKind;
  /** The loop statement, or the callback function. */
  node: ts.Node;
  /** For handlers: the event name when it is a literal. */
  event?: string;
  /** For handlers and iterations: the call that registers the callback. */
  call?: ts.CallExpression;
}

const ITERATION_METHODS = new Set(["forEach", "map", "flatMap", "filter", "reduce", "reduceRight", "some", "every", "find", "findIndex"]);
const LISTENER_METHODS = new Set(["on", "addListener", "prependListener", "addEventListener"]);
/** Events that fire at most once per emitter: their listeners do not repeat. */
const ONE_SHOT_EVENTS = new Set(["end", "close", "finish", "error", "exit", "open", "connect", "listening", "ready", "drain", "upgrade", "secureConnect", "timeout", "spawn", "disconnect", "load", "unload"]);

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

/** The repetition a callback argument introduces, if the call that receives it repeats it. */
function callbackRepetition(fn: ts.ArrowFunction | ts.FunctionExpression): Repetition | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn)) return undefined;
  const name = calleeName(call.expression);
  if (name === undefined) return undefined;
  if (ts.isPropertyAccessExpression(skipOuterExpressions(call.expression))) {
    if (ITERATION_METHODS.has(name) && call.arguments[0] === fn) return { kind: "iteration", node: fn, call };
    if (LISTENER_METHODS.has(name) && call.arguments[1] === fn) {
      const eventArg = call.arguments[0];
      const event = eventArg && ts.isStringLiteralLike(eventArg) ? eventArg.text : undefined;
      if (event !== undefined && ONE_SHOT_EVENTS.has(event)) return undefined;
      return { kind: "handler", node: fn, event, call };
    }
  }
  if (name === "setInterval" && call.arguments[0] === fn && !isSlowInterval(call.arguments[1])) return { kind: "interval", node: fn, call };
  return undefined;
}

/** A constant delay of a second or more: a heartbeat or a poll, too slow to pile anything up. */
function isSlowInterval(delay: ts.Expression | undefined): boolean {
  const ms = delay && constantNumber(delay);
  return ms !== undefined && ms >= 1000;
}

/** The value of a numeric literal or a product of them (`30 * 1000`). */
function constantNumber(expr: ts.Expression): number | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ""));
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const l = constantNumber(e.left);
    const r = constantNumber(e.right);
    return l !== undefined && r !== undefined ? l * r : undefined;
  }
  return undefined;
}

/** The name a function is declared under: `function onData() {}`, `const onData = () => {}`. */
function declaredName(fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  const p = fn.parent;
  return p && ts.isVariableDeclaration(p) && p.initializer === fn && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

/**
 * A named function registered as a listener or interval elsewhere in the file
 * (`bus.on("update", onUpdate)`, kept by name so it can be removed later).
 */
function registeredAs(fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression): Repetition | undefined {
  const name = declaredName(fn);
  if (name === undefined) return undefined;
  const sites = queueSites(fn.getSourceFile());
  for (const method of ["setInterval", ...LISTENER_METHODS]) {
    for (const call of callsNamed(sites, method)) {
      const arg = call.arguments[method === "setInterval" ? 0 : 1];
      if (!arg || !ts.isIdentifier(arg) || arg.text !== name) continue;
      if (method === "setInterval") {
        if (!isSlowInterval(call.arguments[1])) return { kind: "interval", node: fn, call };
        continue;
      }
      if (!ts.isPropertyAccessExpression(skipOuterExpressions(call.expression))) continue;
      const eventArg = call.arguments[0];
      const event = eventArg && ts.isStringLiteralLike(eventArg) ? eventArg.text : undefined;
      if (event === undefined || !ONE_SHOT_EVENTS.has(event)) return { kind: "handler", node: fn, event, call };
    }
  }
  return undefined;
}

/** True when `child` is a part of `loop` that runs on every iteration. */
function isRepeatedPartOfLoop(loop: ts.IterationStatement, child: ts.Node): boolean {
  if (child === loop.statement) return true;
  if (ts.isForStatement(loop)) return child === loop.condition || child === loop.incrementor;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return child === loop.expression;
  return false;
}

/**
 * The repetitions around `node`, innermost first, up to the first function
 * that does not repeat (a named function, a method, a one-off callback).
 */
export function repetitionsAround(node: ts.Node): Repetition[] {
  const out: Repetition[] = [];
  let child = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (ts.isIterationStatement(n, false) && isRepeatedPartOfLoop(n, child)) {
      out.push({ kind: "loop", node: n });
    } else if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      const r = callbackRepetition(n) ?? registeredAs(n);
      if (!r) break;
      out.push(r);
    } else if (ts.isFunctionDeclaration(n)) {
      const r = registeredAs(n);
      if (r) out.push(r);
      break;
    } else if (isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n) || ts.isSourceFile(n)) {
      break;
    }
  }
  return out;
}

/** The innermost function around `node`, or undefined at module level. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/** True when `node` lies within `container` (a loop, a callback). */
export function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}

/** True when the result of `call` is thrown away (a statement, a concise arrow body, `void`). */
export function isResultIgnored(call: ts.Expression): boolean {
  let e: ts.Node = call;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isAwaitExpression(e.parent))) e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (ts.isExpressionStatement(p)) return true;
  if (ts.isVoidExpression(p)) return true;
  if (ts.isArrowFunction(p) && p.body === e) return true;
  // a, b: the left operand of a comma is discarded
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.CommaToken && p.left === e) return true;
  return false;
}

/** True when any node under `root` satisfies `test`. */
export function someDescendant(root: ts.Node, test: (n: ts.Node) => boolean): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (test(n)) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}
