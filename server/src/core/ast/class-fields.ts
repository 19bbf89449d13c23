// Class fields read through `this`: which class holds a node, and where a
// field is given its value.
import ts from "typescript";

/** The innermost class around `node`. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isClassLike(n)) return n;
  return undefined;
}

/**
 * What `this.<name>` is given in the class around `node`, in source order: the
 * property's initializer and the constructor's `this.<name> = …` assignments.
 */
export function thisFieldValues(node: ts.Node, name: string): ts.Expression[] {
  const cls = enclosingClass(node);
  if (!cls) return [];
  const out: ts.Expression[] = [];
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name && member.initializer) out.push(member.initializer);
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const st of member.body.statements) {
        if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const left = st.expression.left;
        if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) out.push(st.expression.right);
      }
    }
  }
  return out;
}
