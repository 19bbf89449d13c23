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

/** A function written in place as an argument (`call(a, (x) => …)`, parentheses aside): the call and the argument's position. */
export function argumentSite(fn: ts.FunctionLikeDeclaration): { call: ts.CallExpression; index: number } | undefined {
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return undefined;
  const node = outsideParentheses(fn);
  const call = node.parent;
  const index = ts.isCallExpression(call) ? call.arguments.indexOf(node as ts.Expression) : -1;
  return index < 0 ? undefined : { call: call as ts.CallExpression, index };
}

/** The outermost parenthesized expression around `node`, or `node` itself. */
export function outsideParentheses(node: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return node;
}
