// Ad-hoc guards: a hand-rolled lock made of a flag (`if (this.busy) return;
// this.busy = true; … this.busy = false`) or of a key in a Set or Map
// (`inFlight.has(id)` … `inFlight.add(id)` … `inFlight.delete(id)`). When the
// guard is set before an await and cleared after it outside `finally`, a
// rejection leaves it set and every later call is refused or waits forever.
// Only guards that are tested before being set count: a loading flag that no
// code tests is not a lock.
import ts from "typescript";
import { enclosingFunction, isAsyncFunction } from "../../ast/functions";
import type { Report } from "../../rule";
import { calleeName, skipOuterExpressions } from "../../symbols";
import { exitsWithoutClear, firstThrower } from "./control-flow";
import { nodesAtMatches } from "../../ast/text-scan";
import { accessPath } from "./guarded-state";
import { wrapInTryFinally } from "./release-fixes";

interface GuardSet {
  /** `this.busy`, or the Set/Map expression. */
  path: string;
  /** The key text for Set/Map guards. */
  key: string | undefined;
  node: ts.Expression;
}

function localNames(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  const add = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const el of n.elements) if (ts.isBindingElement(el)) add(el.name);
  };
  for (const p of fn.parameters) add(p.name);
  const visit = (n: ts.Node): void => {
    if (n !== fn && ts.isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n)) add(n.name);
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return names;
}

function isShared(path: string, locals: Set<string>): boolean {
  const root = path.split(".")[0];
  return !locals.has(root);
}

function guardSetOf(s: ts.Statement): GuardSet | undefined {
  if (!ts.isExpressionStatement(s)) return undefined;
  const e = skipOuterExpressions(s.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && e.right.kind === ts.SyntaxKind.TrueKeyword) {
    const path = accessPath(e.left);
    return path !== undefined ? { path, key: undefined, node: e } : undefined;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length >= 1) {
    const name = e.expression.name.text;
    if (name !== "add" && name !== "set") return undefined;
    const path = accessPath(e.expression.expression);
    return path !== undefined ? { path, key: e.arguments[0].getText(), node: e } : undefined;
  }
  return undefined;
}

function clears(guard: GuardSet): (n: ts.Node) => boolean {
  return (n: ts.Node) => {
    const e = skipOuterExpressions(n as ts.Expression);
    if (guard.key === undefined) {
      return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && e.right.kind === ts.SyntaxKind.FalseKeyword && accessPath(e.left) === guard.path;
    }
    return ts.isCallExpression(e) && calleeName(e.expression) === "delete" && ts.isPropertyAccessExpression(e.expression) && accessPath(e.expression.expression) === guard.path && e.arguments[0]?.getText() === guard.key;
  };
}

/** The guard is tested earlier in the function: `if (this.busy) return`, `if (inFlight.has(id))`. */
function isTestedBefore(fn: ts.FunctionLikeDeclaration, guard: GuardSet): boolean {
  let found = false;
  const limit = guard.node.getStart();
  const mentionsGuard = (cond: ts.Node): boolean => {
    let hit = false;
    const visit = (n: ts.Node): void => {
      if (hit) return;
      if (guard.key === undefined && (ts.isPropertyAccessExpression(n) || ts.isIdentifier(n)) && accessPath(n) === guard.path) hit = true;
      else if (guard.key !== undefined && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(has|get)$/.test(n.expression.name.text) && accessPath(n.expression.expression) === guard.path && n.arguments[0]?.getText() === guard.key) hit = true;
      else ts.forEachChild(n, visit);
    };
    visit(cond);
    return hit;
  };
  const visit = (n: ts.Node): void => {
    if (found || n.getStart() >= limit || (n !== fn && ts.isFunctionLike(n))) return;
    const condition = ts.isIfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n) ? n.expression : ts.isConditionalExpression(n) ? n.condition : undefined;
    if (condition && mentionsGuard(condition)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

function lineOf(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

function checkGuard(file: ts.SourceFile, fn: ts.FunctionLikeDeclaration, block: ts.Block, i: number, guard: GuardSet, out: Report[]): void {
  const statements = block.statements;
  const isClear = clears(guard);
  const j = statements.findIndex((t, k) => k > i && ts.isExpressionStatement(t) && isClear(t.expression));
  if (j < 0) return;
  const between = statements.slice(i + 1, j);
  // A guard on the function's own variables protects nothing shared.
  if (!hasAwait(between) || !isShared(guard.path, localNames(fn))) return;
  const thrower = between.map((t) => firstThrower(t, { calls: false, isRelease: isClear })).find((t) => t !== undefined);
  const exits = exitsWithoutClear(between, isClear, false);
  if ((!thrower && exits.length === 0) || !isTestedBefore(fn, guard)) return;
  const fix = wrapInTryFinally({ file, statements, container: block, from: i + 1, release: j, isRelease: isClear, returnsToAwait: [], title: `Clear ${guard.path} in a finally block` });
  const what = guard.key === undefined ? `Guard flag ${guard.path}` : `Guard key ${guard.key} in ${guard.path}`;
  out.push({
    node: guard.node,
    ...(exits.length > 0
      ? { messageId: "guard-exit", data: { guard: what, exit: ts.isReturnStatement(exits[0]) ? "return" : "exit", line: String(lineOf(exits[0])) } }
      : { messageId: "guard-rejects", data: { guard: what, line: String(lineOf(thrower!)) } }),
    related: [
      ...exits.map((e) => ({ node: e, message: "leaves without clearing the guard" })),
      ...(thrower ? [{ node: thrower, message: "can reject or throw, skipping the clear" }] : []),
      { node: statements[j], message: "cleared only here, outside finally" },
    ],
    fixes: fix ? [fix] : [],
  });
}

function hasAwait(nodes: readonly ts.Node[]): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) found = true;
    else ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return found;
}

/** Statements that can set a guard, each on its own line: `this.busy = true;`, `inFlight.add(id);`. */
const GUARD_SET_TEXT = /^[ \t]*[\w$.]+(\s*=\s*true\b|\.(add|set)\s*\()/gm;

/** Guards set before an await and cleared after it outside `finally`, in one file. */
export function findGuards(file: ts.SourceFile): Report[] {
  const out: Report[] = [];
  const seen = new Set<ts.Statement>();
  for (const node of nodesAtMatches(file, GUARD_SET_TEXT, 1)) {
    let statement: ts.Node = node;
    while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent) && !ts.isFunctionLike(statement)) statement = statement.parent;
    const block = statement.parent;
    if (!block || !ts.isBlock(block) || !ts.isExpressionStatement(statement) || seen.has(statement)) continue;
    seen.add(statement);
    if (ts.isTryStatement(block.parent) && block.parent.finallyBlock === block) continue;
    const guard = guardSetOf(statement);
    const fn = guard && enclosingFunction(statement);
    if (guard && fn && isAsyncFunction(fn)) checkGuard(file, fn, block, block.statements.indexOf(statement), guard, out);
  }
  return out;
}
