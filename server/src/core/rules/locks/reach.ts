// Which locks are waited for while another is held: directly in the critical
// section, or inside the project functions it waits on (`await this.save()`
// where `save` takes `this.mutex`). Only calls on `this`, `super` and plain
// functions are followed, so a field of `this` names the same lock at both
// ends; each function's answer is computed once per analysis.
import * as ts from "typescript";
import type { FactKey, ProjectFacts } from "../../facts";
import { projectFunctionOf, resolveCallee, skipOuterExpressions } from "../../symbols";
import type { Acquisition } from "./detect";
import { fileLocks, forEachHeldNode, isFunctionBoundary, isWaitedFor, type CriticalSection } from "./sections";

export interface Reached {
  acquisition: Acquisition;
  /** The calls followed from the section to reach it, outermost first; empty when it is in the section itself. */
  chain: ts.CallExpression[];
}

/** Project-function hops followed at most, whatever the configured chain depth: deeper chains are rare and costly. */
const MAX_DEPTH = 6;

const SUMMARIES: FactKey<Map<ts.Node, Reached[]>> = { name: "lock-acquisitions-by-function", compute: () => new Map() };

function acquisitionAt(facts: ProjectFacts, call: ts.CallExpression): Acquisition | undefined {
  return fileLocks(facts, call.getSourceFile()).acquisitions.find((a) => a.call === call);
}

/** `this.save()`, `super.save()`, `save()`: calls whose callee shares the caller's `this` or has none. */
function isFollowable(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return true;
  return ts.isPropertyAccessExpression(callee) && (callee.expression.kind === ts.SyntaxKind.ThisKeyword || callee.expression.kind === ts.SyntaxKind.SuperKeyword);
}

function calledFunction(facts: ProjectFacts, call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  if (!isFollowable(call)) return undefined;
  return projectFunctionOf(resolveCallee(facts.program, facts.checker, call.expression));
}

function visitCall(facts: ProjectFacts, call: ts.CallExpression, depth: number, out: Reached[], skip: ts.CallExpression | undefined): void {
  if (call === skip || !isWaitedFor(call)) return;
  const acquisition = acquisitionAt(facts, call);
  if (acquisition) {
    out.push({ acquisition, chain: [] });
    return;
  }
  if (depth <= 0) return;
  const fn = calledFunction(facts, call);
  if (!fn) return;
  for (const r of functionSummary(facts, fn, depth - 1)) out.push({ acquisition: r.acquisition, chain: [call, ...r.chain] });
}

/** Every lock a function waits for on its own path, directly or through the functions it waits on. */
function functionSummary(facts: ProjectFacts, fn: ts.FunctionLikeDeclaration, depth: number): Reached[] {
  const memo = facts.get(SUMMARIES);
  const known = memo.get(fn);
  if (known) return known;
  // Set before the walk so that recursion through a cycle ends.
  const out: Reached[] = [];
  memo.set(fn, out);
  if (!fn.body) return out;
  const visit = (n: ts.Node): void => {
    if (n !== fn && isFunctionBoundary(n) && !isAcquisitionCallback(facts, n)) return;
    if (ts.isCallExpression(n)) visitCall(facts, n, depth, out, undefined);
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return out;
}

function isAcquisitionCallback(facts: ProjectFacts, fn: ts.Node): boolean {
  const p = fn.parent;
  return p !== undefined && ts.isCallExpression(p) && acquisitionAt(facts, p)?.callback === fn;
}

/** Locks waited for while the section's lock is held. */
export function reachedAcquisitions(facts: ProjectFacts, section: CriticalSection): Reached[] {
  const out: Reached[] = [];
  const depth = Math.min(facts.chainDepth, MAX_DEPTH);
  forEachHeldNode(section, (n) => {
    if (ts.isCallExpression(n) && n.getStart() >= section.start) visitCall(facts, n, depth, out, section.acquisition.call);
  });
  return out;
}
