// What a variable is given: its initializer and every plain assignment to it
// in the function (or file) that declares it, for code that has to know what a
// variable holds without types (how an untyped value was made, which path a
// variable names).
import ts from "typescript";
import { isFunctionWithBody } from "./functions";

/** The variable's initializer, if any, then each `name = …` assigned to the same symbol, in source order. */
export function assignedValues(checker: ts.TypeChecker, decl: ts.VariableDeclaration): ts.Expression[] {
  if (!ts.isIdentifier(decl.name)) return [];
  const name = decl.name.text;
  const symbol = checker.getSymbolAtLocation(decl.name);
  let scope: ts.Node = decl;
  while (!ts.isSourceFile(scope) && !isFunctionWithBody(scope)) scope = scope.parent;
  const out: ts.Expression[] = decl.initializer ? [decl.initializer] : [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name && checker.getSymbolAtLocation(n.left) === symbol) out.push(n.right);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}
