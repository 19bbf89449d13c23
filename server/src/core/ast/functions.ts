// What kind of function a node is and which function holds it: asked by every
// rule that treats async code differently from the rest.
import ts from "typescript";

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

/** An `async` function, arrow or method (with a body). */
export function isAsyncFunction(node: ts.Node): boolean {
  return isFunctionWithBody(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

export function isGenerator(node: ts.FunctionLikeDeclaration): boolean {
  return (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken !== undefined;
}

/** The innermost function whose body holds `node`, or undefined at module level. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionWithBody(n)) return n;
  return undefined;
}
