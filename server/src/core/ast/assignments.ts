// What a variable is given: its initializer and every plain assignment to it
// in the function (or file) that declares it, for code that has to know what a
// variable holds without types (how an untyped value was made, which path a
// variable names).
import ts from "typescript";
import { enclosingFunction } from "./functions";

/** The variable's initializer, if any, then each `name = …` assigned to the same symbol, in source order. */
export function assignedValues(checker: ts.TypeChecker, decl: ts.VariableDeclaration): ts.Expression[] {
  if (!ts.isIdentifier(decl.name)) return [];
  const out: ts.Expression[] = decl.initializer ? [decl.initializer] : [];
  // Nothing is assigned to a `const`: no need to walk its scope for assignments.
  if (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return out;
  const name = decl.name.text;
  const symbol = checker.getSymbolAtLocation(decl.name);
  const scope: ts.Node = enclosingFunction(decl) ?? decl.getSourceFile();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name && checker.getSymbolAtLocation(n.left) === symbol) out.push(n.right);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}
