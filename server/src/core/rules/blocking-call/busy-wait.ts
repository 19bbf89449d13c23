// Busy-wait loops: a loop that spins on the clock until a moment passes,
// doing nothing else (`while (Date.now() < end) {}`). It holds the thread for
// the whole wait. Loops that do work or await inside are not busy-waits.
// A default import: `import * as` would route every `ts.` access through a getter, which shows in whole-project walks.
import ts from "typescript";
import { skipOuterExpressions } from "../../symbols";

/** True for an expression that reads the wall or monotonic clock. */
function readsClock(expr: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      // new Date(), Date.now(), performance.now(), process.hrtime(), process.hrtime.bigint()
      if (ts.isNewExpression(n) && ts.isIdentifier(callee) && callee.text === "Date") found = true;
      if (ts.isPropertyAccessExpression(callee)) {
        const text = callee.getText();
        if (/^(Date\.now|performance\.now|process\.hrtime(\.bigint)?|Date\.prototype\.getTime)$/.test(text)) found = true;
      }
      if (ts.isIdentifier(callee) && callee.text === "now") found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

/** The loop body does nothing but wait: empty, or only re-reading the clock. */
function isIdleBody(body: ts.Statement): boolean {
  if (ts.isEmptyStatement(body)) return true;
  if (ts.isExpressionStatement(body)) return isClockRefresh(body.expression);
  if (!ts.isBlock(body)) return false;
  return body.statements.every((s) => ts.isEmptyStatement(s) || (ts.isExpressionStatement(s) && isClockRefresh(s.expression)) || ts.isContinueStatement(s));
}

/** `now = Date.now()`: the only statement a spinning loop may hold. */
function isClockRefresh(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && readsClock(e.right) && !ts.isCallExpression(skipOuterExpressions(e.left));
}

/** `for (;;) { if (Date.now() >= end) break; }` */
function isBreakOnClock(body: ts.Statement): boolean {
  const statements = ts.isBlock(body) ? body.statements : ts.factory.createNodeArray([body]);
  const ifs = statements.filter((s) => !ts.isEmptyStatement(s));
  if (ifs.length !== 1) return false;
  const s = ifs[0];
  if (!ts.isIfStatement(s) || s.elseStatement || !readsClock(s.expression)) return false;
  const then = ts.isBlock(s.thenStatement) && s.thenStatement.statements.length === 1 ? s.thenStatement.statements[0] : s.thenStatement;
  return ts.isBreakStatement(then);
}

function isAlwaysTrue(cond: ts.Expression | undefined): boolean {
  if (cond === undefined) return true;
  const e = skipOuterExpressions(cond);
  return e.kind === ts.SyntaxKind.TrueKeyword || (ts.isNumericLiteral(e) && e.text === "1");
}

/** True when the statement is a loop that spins on the clock without doing anything else. */
export function isBusyWaitLoop(node: ts.Node): node is ts.IterationStatement {
  if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
    if (isAlwaysTrue(node.expression)) return isBreakOnClock(node.statement);
    return readsClock(node.expression) && isIdleBody(node.statement);
  }
  if (ts.isForStatement(node)) {
    if (isAlwaysTrue(node.condition)) return isBreakOnClock(node.statement);
    return readsClock(node.condition!) && isIdleBody(node.statement) && (node.incrementor === undefined || readsClock(node.incrementor));
  }
  return false;
}
