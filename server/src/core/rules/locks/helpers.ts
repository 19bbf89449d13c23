// Lock helpers: project functions that take a lock and run a callback while
// holding it (`withLock(lock, fn)`, `withCacheLock(fn)`, `serialized(key, fn)`).
// A call to one is a callback acquisition at the call site: the lock is the
// argument the helper acquires (or the helper's own module-level lock), and
// the callback passed in is the critical section.
import ts from "typescript";
import type { AnalysisContext } from "../../rule";
import { calleeName, projectFunctionOf, resolveCallee, skipOuterExpressions } from "../../symbols";
import { ACQUIRE_NAMES, identityOfReceiver, isFunctionArgument, type Acquisition } from "./detect";
import type { CriticalSection } from "./critical-section";

/** Names that announce a helper: cheap filter before resolving the call. */
const HELPER_NAME = /lock|mutex|exclusive|synchroni[sz]ed?\b|critical/i;

/** What a helper does with its parameters: which one is the lock (if any) and which one runs under it. */
export interface HelperShape {
  inner: Acquisition;
  /** Parameter index of the lock object, or undefined when the helper takes its own lock. */
  lockParameter: number | undefined;
  callbackParameter: number;
}

function parameterIndex(fn: ts.FunctionLikeDeclaration, e: ts.Expression | undefined): number {
  const s = e && skipOuterExpressions(e);
  if (!s || !ts.isIdentifier(s)) return -1;
  return fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === s.text);
}

/** The parameter the section calls (`fn()`, `await fn()`) or hands to the lock (`mutex.runExclusive(fn)`). */
function calledParameter(fn: ts.FunctionLikeDeclaration, section: CriticalSection, heldCalls: readonly ts.CallExpression[]): number {
  const a = section.acquisition;
  if (a.style === "callback" && !a.callback) {
    const index = a.call.arguments.map((arg) => parameterIndex(fn, arg)).find((i) => i >= 0);
    if (index !== undefined) return index;
  }
  for (const c of heldCalls) {
    const i = parameterIndex(fn, c.expression);
    if (i >= 0) return i;
  }
  return -1;
}

/** Reads a helper's shape from its sections, given the calls each section makes while held. */
export function helperShapeOf(fn: ts.FunctionLikeDeclaration, sections: readonly CriticalSection[], heldCallsOf: (s: CriticalSection) => ts.CallExpression[]): HelperShape | undefined {
  for (const section of sections) {
    const inner = section.acquisition;
    const callbackParameter = calledParameter(fn, section, heldCallsOf(section));
    if (callbackParameter < 0) continue;
    const lockParameter = parameterIndex(fn, inner.receiver);
    if (lockParameter >= 0) return { inner, lockParameter, callbackParameter };
    if (inner.lock.global) return { inner, lockParameter: undefined, callbackParameter };
  }
  return undefined;
}

/** A helper call is worth resolving when its name says lock and it is given something to run. */
export function isHelperCandidate(call: ts.CallExpression): boolean {
  const name = calleeName(call.expression);
  if (name === undefined || ACQUIRE_NAMES.has(name) || !HELPER_NAME.test(name) || /^(un|re)lock|release/i.test(name)) return false;
  // The work to run under the lock is passed as a function, or by name.
  return call.arguments.some((a) => isFunctionArgument(a) || ts.isIdentifier(skipOuterExpressions(a)) || ts.isPropertyAccessExpression(skipOuterExpressions(a)));
}

export function helperFunctionOf(ctx: AnalysisContext, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  return projectFunctionOf(resolveCallee(ctx.program, ctx.checker, call.expression));
}

/** The acquisition a call to a helper makes at the call site. */
export function helperAcquisition(ctx: AnalysisContext, call: ts.CallExpression, shape: HelperShape): Acquisition | undefined {
  const { inner } = shape;
  const lockArgument = shape.lockParameter !== undefined ? call.arguments[shape.lockParameter] : undefined;
  if (shape.lockParameter !== undefined && !lockArgument) return undefined;
  const callbackArgument = call.arguments[shape.callbackParameter];
  if (!callbackArgument) return undefined;
  const lock = lockArgument ? identityOfReceiver(ctx.checker, lockArgument, call, calleeName(call.expression) ?? "lock") : inner.lock;
  const callback = isFunctionArgument(callbackArgument) ? (skipOuterExpressions(callbackArgument) as ts.ArrowFunction | ts.FunctionExpression) : undefined;
  return {
    ...inner,
    call,
    anchor: call.expression,
    lock,
    style: "callback",
    receiver: lockArgument,
    keyArgument: undefined,
    callback,
    releaseMethods: [],
    releaseInTuple: false,
  };
}
