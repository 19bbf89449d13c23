// lock-not-released: a lock (or an ad-hoc guard: a busy flag, a key in a Set
// or Map) whose release is not reached on every path: no `finally`, code that
// can throw before the `try`, an early exit, a release only in `then()`; or a
// release reached too early, by `return work()` inside `try … finally`. One
// error then leaves the lock held, and every later caller waits forever.
import ts from "typescript";
import { enclosingFunction, isAsyncFunction } from "../../ast/functions";
import type { Report, Rule, RuleContext } from "../../rule";
import type { Fix } from "../../types";
import { exitsWithoutClear, firstThrower, isClearingStatement, isCommonSyncName, isInLoop } from "./control-flow";
import { findGuards } from "./guards";
import { fileLocks, statementOf, type CriticalSection } from "./sections";
import { awaitReturnsFix, moveIntoTryFix, runExclusiveFix, wrapInTryFinally } from "./release-fixes";
import { calleeName, isPromiseLike, skipOuterExpressions } from "../../symbols";

function lineOf(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

function isInAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && isAsyncFunction(fn);
}

type StatementList = ts.NodeArray<ts.Statement>;

function statementsOf(container: ts.Node): StatementList | undefined {
  if (ts.isBlock(container) || ts.isSourceFile(container) || ts.isCaseClause(container) || ts.isDefaultClause(container) || ts.isModuleBlock(container)) return container.statements;
  return undefined;
}

/** `return work()` without await, where `work()` is a promise: the `finally` releases before it settles. */
function unawaitedReturns(checker: ts.TypeChecker, root: ts.Node): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (n !== root && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isReturnStatement(n) && n.expression && returnsUnsettledPromise(checker, n.expression)) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/** A call that may be a promise, a name holding one (`const p = work(); return p;`), or either branch of a conditional. */
function returnsUnsettledPromise(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(e)) return false;
  if (ts.isConditionalExpression(e)) return returnsUnsettledPromise(checker, e.whenTrue) || returnsUnsettledPromise(checker, e.whenFalse);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return mayBePromise(checker, e);
  return (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && isPromiseLike(checker, checker.getTypeAtLocation(e));
}

/** A promise, or a call of unknown type (an untyped callback such as `doWork()`), which is how async work is usually passed in. */
function mayBePromise(checker: ts.TypeChecker, e: ts.CallExpression | ts.NewExpression): boolean {
  const type = checker.getTypeAtLocation(e);
  if (isPromiseLike(checker, type)) return true;
  const name = ts.isCallExpression(e) ? calleeName(e.expression) : undefined;
  return (type.flags & ts.TypeFlags.Any) !== 0 && name !== undefined && !isCommonSyncName(name);
}

function enclosingTryWithFinally(node: ts.Node, stop: ts.Node): ts.TryStatement | undefined {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.finallyBlock === n) return n.parent;
  }
  return undefined;
}

function releaseMatcher(section: CriticalSection): (n: ts.Node) => boolean {
  const nodes = new Set(section.releases.map((r) => r.node));
  return (n: ts.Node) => nodes.has(skipOuterExpressions(n as ts.Expression));
}

/** Exits on the path where the acquire failed (`if (!acquired) return;`) leave no lock behind. */
function exitsHoldingLock(section: CriticalSection, statements: readonly ts.Statement[], isRelease: (n: ts.Node) => boolean, inLoop: boolean): ts.Node[] {
  const name = section.resultName;
  return exitsWithoutClear(statements, isRelease, inLoop).filter((exit) => {
    if (name === undefined) return true;
    for (let n: ts.Node = exit; n.parent && !ts.isFunctionLike(n); n = n.parent) {
      if ((ts.isIfStatement(n.parent) && n.parent.thenStatement === n) || ts.isConditionalExpression(n.parent)) {
        const condition = ts.isIfStatement(n.parent) ? n.parent.expression : n.parent.condition;
        if (mentionsName(condition, name)) return false;
      }
    }
    return true;
  });
}

function mentionsName(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  return ts.forEachChild(node, (c) => mentionsName(c, name) || undefined) === true;
}

/**
 * The condition a release in a `finally` block depends on (`if (ok) release()`), unless it only
 * tests the release itself (`if (release) release()`) or whether the acquire succeeded.
 */
function conditionIn(section: CriticalSection, release: ts.Node): ts.Expression | undefined {
  for (let n: ts.Node = release; n.parent && !ts.isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.finallyBlock === n) return undefined;
    const condition = ts.isIfStatement(p) && p.expression !== n ? p.expression : ts.isConditionalExpression(p) && p.condition !== n ? p.condition : ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? p.left : undefined;
    if (condition && !mentionsName(condition, section.binding ?? "\u0000") && !mentionsName(condition, section.resultName ?? "\u0000") && !mentionsReceiver(condition, section)) return condition;
  }
  return undefined;
}

/** `if (this.lock.isLocked()) this.lock.release()`: a test of the lock itself. */
function mentionsReceiver(condition: ts.Expression, section: CriticalSection): boolean {
  const receiver = section.acquisition.receiver;
  return receiver !== undefined && condition.getText().includes(skipOuterExpressions(receiver).getText());
}

function label(section: CriticalSection): string {
  return section.acquisition.lock.label;
}

/** The release is in a `finally`: check the code before the `try` and the returns inside it. */
function checkProtected(context: RuleContext, section: CriticalSection, tryStatement: ts.TryStatement): void {
  const a = section.acquisition;
  const acquire = section.acquireStatement!;
  const returns = unawaitedReturns(context.checker, tryStatement.tryBlock);
  if (returns.length > 0 && isInAsyncFunction(tryStatement)) {
    for (const r of returns) {
      context.report({
        node: r,
        messageId: "unawaited-return",
        data: { lock: label(section) },
        related: [{ node: a.anchor, message: `${label(section)} is acquired here` }],
        fixes: [awaitReturnsFix(context.file, [r], "Await the returned promise before releasing")],
      });
    }
  }
  if (tryStatement.parent !== acquire.parent) return;
  const statements = statementsOf(acquire.parent);
  if (!statements) return;
  const from = statements.indexOf(acquire) + 1;
  const to = statements.indexOf(tryStatement);
  const between = statements.slice(from, to);
  const isRelease = releaseMatcher(section);
  const thrower = between.map((s) => firstThrower(s, { calls: true, isRelease })).find((t) => t !== undefined);
  const exits = exitsHoldingLock(section, between, isRelease, isInLoop(acquire));
  const risk = exits[0] ?? thrower;
  if (!risk) return;
  const fix = moveIntoTryFix(context.file, statements, from, to, "Move the code after the acquire into the try block");
  context.report({
    node: a.anchor,
    ...(exits.length > 0
      ? { messageId: "exit-before-try", data: { exit: exits[0].getText().split(/\s/)[0].replace(/;$/, ""), line: String(lineOf(exits[0])), lock: label(section) } }
      : { messageId: "throw-before-try", data: { lock: label(section), line: String(lineOf(risk)) } }),
    related: [{ node: risk, message: exits.length > 0 ? "leaves without releasing" : "can throw before the try block" }],
    fixes: fix ? [fix] : [],
  });
}

function checkUnprotected(context: RuleContext, section: CriticalSection): void {
  const a = section.acquisition;
  const acquire = section.acquireStatement;
  if (!acquire) return;
  const statements = statementsOf(acquire.parent);
  if (!statements) return;
  const direct = section.releases.filter((r) => !r.nested);
  const lastRelease = direct[direct.length - 1];
  const lastStatement = lastRelease && statementOf(lastRelease.node);
  if (!lastStatement || lastStatement.parent !== acquire.parent) return;
  const from = statements.indexOf(acquire) + 1;
  const to = statements.indexOf(lastStatement);
  if (to < from) return;
  const between = statements.slice(from, to);
  const isRelease = releaseMatcher(section);
  const exits = exitsHoldingLock(section, between, isRelease, isInLoop(acquire));
  const thrower = between.map((s) => firstThrower(s, { calls: true, isRelease })).find((t) => t !== undefined);
  if (exits.length === 0 && !thrower) return;
  const fixes: Fix[] = [];
  if (isClearingStatement(lastStatement, isRelease)) {
    const returns = isInAsyncFunction(acquire) ? between.flatMap((s) => unawaitedReturns(context.checker, s)) : [];
    const fix = wrapInTryFinally({
      file: context.file,
      statements,
      container: acquire.parent,
      from,
      release: to,
      isRelease,
      returnsToAwait: returns,
      title: `Release ${label(section)} in a finally block`,
    });
    if (fix) fixes.push(fix);
    const rewrite = runExclusiveRewrite(context, section, statements, from - 1, to, isRelease);
    if (rewrite) fixes.push(rewrite);
  }
  const related: Report["related"] = [
    ...exits.map((e) => ({ node: e, message: "leaves without releasing the lock" })),
    ...(thrower ? [{ node: thrower, message: "can throw, and then the release is skipped" }] : []),
    { node: lastRelease.node, message: "the only release, reached only when nothing above throws" },
  ];
  context.report({
    node: a.anchor,
    ...(exits.length > 0
      ? { messageId: "exit-without-release", data: { lock: label(section), exit: describeExit(exits[0]), line: String(lineOf(exits[0])) } }
      : { messageId: "throw-without-release", data: { lock: label(section), line: String(lineOf(thrower!)) } }),
    related,
    fixes,
  });
}

/** `const release = await m.acquire()` on a lock that also offers `runExclusive`: the rewrite that makes the release automatic. */
function runExclusiveRewrite(context: RuleContext, section: CriticalSection, statements: StatementList, acquire: number, release: number, isRelease: (n: ts.Node) => boolean): Fix | undefined {
  const a = section.acquisition;
  if (!a.receiver || a.call.arguments.length > 0 || (a.style !== "release-function" && a.style !== "release-method")) return undefined;
  if (!context.checker.getTypeAtLocation(a.receiver).getProperty("runExclusive")) return undefined;
  const statement = statements[acquire];
  const awaited = (e: ts.Expression | undefined) => e !== undefined && ts.isAwaitExpression(skipOuterExpressions(e)) && skipOuterExpressions((skipOuterExpressions(e) as ts.AwaitExpression).expression) === a.call;
  const simple = ts.isVariableStatement(statement) ? statement.declarationList.declarations.length === 1 && awaited(statement.declarationList.declarations[0].initializer) : ts.isExpressionStatement(statement) && awaited(statement.expression);
  if (!simple) return undefined;
  return runExclusiveFix({ file: context.file, statements, container: statement.parent, acquire, release, receiver: a.receiver, isRelease, title: `Rewrite with ${a.receiver.getText()}.runExclusive()` });
}

function describeExit(n: ts.Node): string {
  if (ts.isReturnStatement(n)) return "return";
  if (ts.isThrowStatement(n)) return "throw";
  if (ts.isBreakStatement(n)) return "break";
  return "continue";
}

function checkSection(context: RuleContext, section: CriticalSection): void {
  const a = section.acquisition;
  if (a.style === "callback" || section.escapes || section.disposed) return;
  if (section.releases.length === 0) {
    // Only a bound release function that is never called is surely lost; a lock released by another method is not.
    if (a.style === "release-function" && section.binding !== undefined && section.acquireStatement) {
      context.report({
        node: a.anchor,
        messageId: "release-never-called",
        data: { lock: label(section), binding: section.binding },
      });
    }
    return;
  }
  const protectedRelease = section.releases.find((r) => r.inFinally && !conditionIn(section, r.node));
  const conditional = section.releases.find((r) => r.inFinally && !r.nested && conditionIn(section, r.node));
  if (!protectedRelease && conditional) {
    const condition = conditionIn(section, conditional.node)!;
    context.report({
      node: a.anchor,
      messageId: "conditional-release",
      data: { lock: label(section), condition: condition.getText() },
      related: [{ node: conditional.node, message: "the only release, behind a condition" }],
    });
    return;
  }
  if (protectedRelease) {
    if (!protectedRelease.nested && section.acquireStatement) {
      const tryStatement = enclosingTryWithFinally(protectedRelease.node, section.root);
      if (tryStatement) checkProtected(context, section, tryStatement);
    }
    return;
  }
  if (section.releases.every((r) => r.inThen)) {
    context.report({
      node: a.anchor,
      messageId: "released-only-in-then",
      data: { lock: label(section) },
      related: section.releases.map((r) => ({ node: r.node, message: "released only when the work succeeds" })),
    });
    return;
  }
  if (section.releases.some((r) => r.nested)) return;
  checkUnprotected(context, section);
}

export const lockNotReleased: Rule = {
  meta: {
    id: "lock-not-released",
    description: "A lock or guard is not released on every path, or is released before the work it guards finishes.",
    defaultSeverity: "warning",
    fixable: true,
    hazard: "locks",
    messages: {
      "unawaited-return": {
        text: "This returns a promise without awaiting it, so the finally block releases {lock} before the work is done and another caller can enter while it still runs. Write return await.",
        why: "so the finally block releases {lock} before the work is done and another caller can enter while it still runs",
        action: "Write return await",
      },
      "exit-before-try": {
        text: "The {exit} at line {line} leaves before the try block, so {lock} stays held forever. Start the try block right after acquiring the lock.",
        why: "so {lock} stays held forever",
        action: "Start the try block right after acquiring the lock",
      },
      "throw-before-try": {
        text: "Code between acquiring {lock} and the try block can throw (line {line}), and then the finally never runs and the lock stays held forever. Start the try block right after acquiring the lock.",
        why: "and then the finally never runs and the lock stays held forever",
        action: "Start the try block right after acquiring the lock",
      },
      "exit-without-release": {
        text: "{lock} is not released on every path: the {exit} at line {line} leaves it held, and every later caller waits forever. Release it in a finally block.",
        why: "and every later caller waits forever",
        action: "Release it in a finally block",
      },
      "throw-without-release": {
        text: "{lock} is not released if the code after acquiring it throws (line {line}): the release is not in a finally block, so one error leaves the lock held and every later caller waits forever. Wrap the critical section in try { … } finally { release }.",
        why: "so one error leaves the lock held and every later caller waits forever",
        action: "Wrap the critical section in try { … } finally { release }",
      },
      "release-never-called": {
        text: "The release function of {lock} ({binding}) is never called, so the lock stays held forever and every later caller waits. Call {binding}() in a finally block.",
        why: "so the lock stays held forever and every later caller waits",
        action: "Call {binding}() in a finally block",
      },
      "conditional-release": {
        text: "{lock} is released in finally only when {condition} holds: on the other paths the lock stays held forever and every later caller waits. Release it unconditionally in the finally block.",
        why: "on the other paths the lock stays held forever and every later caller waits",
        action: "Release it unconditionally in the finally block",
      },
      "released-only-in-then": {
        text: "{lock} is released only in then(): if the work rejects, the release never runs and the lock stays held forever. Release it in finally(), or await the work inside try { … } finally { release }.",
        why: "if the work rejects, the release never runs and the lock stays held forever",
        action: "Release it in finally(), or await the work inside try { … } finally { release }",
      },
      // The ad-hoc guards found in ./guards.ts.
      "guard-exit": {
        text: "{guard} is set here and the {exit} at line {line} leaves without clearing it, so every later call is refused. Clear it in a finally block.",
        why: "so every later call is refused",
        action: "Clear it in a finally block",
      },
      "guard-rejects": {
        text: "{guard} is set before an await and cleared outside finally: if the await rejects (line {line}), it stays set and every later call is refused. Clear it in a finally block.",
        why: "it stays set and every later call is refused",
        action: "Clear it in a finally block",
      },
    },
  },
  check(file: ts.SourceFile, context: RuleContext): void {
    for (const section of fileLocks(context.facts, file).sections) checkSection(context, section);
    for (const guard of findGuards(file)) context.report(guard);
  },
};
