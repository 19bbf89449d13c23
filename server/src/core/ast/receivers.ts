// A receiver as text (`queue`, `this.queue`, `a.b.c`), so that two mentions of
// it in different places can be compared without the checker.
import ts from "typescript";
import { skipOuterExpressions } from "../symbols";

/**
 * Text that names the same receiver wherever it is written, or undefined for a
 * computed one (a call, `a[i]`). With `throughElements`, an element access
 * stands for its object: `this.cache[key].items` → `this.cache.items`.
 */
export function receiverKey(expr: ts.Expression, options: { throughElements?: boolean } = {}): string | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(e)) {
    const inner = receiverKey(e.expression, options);
    return inner === undefined ? undefined : `${inner}.${e.name.text}`;
  }
  if (options.throughElements && ts.isElementAccessExpression(e)) return receiverKey(e.expression, options);
  return undefined;
}
