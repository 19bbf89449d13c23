// TypeScript's parser, binder and checker, and the rules' walkers, recurse
// once per level of syntax nesting. Thousands of levels (generated code,
// fuzzing) overflow the stack; one such file must not take the whole check
// down with it, so it is set aside with a problem before anything binds it.
import ts from "typescript";

/**
 * Deepest syntax tree analysed. Real code stays below a hundred; the binder
 * overflows Node's default stack near 2,000 (an `if` block is two levels),
 * and a language server runs the rules deeper in its own stack than the CLI.
 */
export const MAX_NESTING_DEPTH = 1000;

/** Whether any node of `file` lies deeper than `limit` levels; walks with its own stack, so it cannot overflow. */
export function nestedDeeperThan(file: ts.SourceFile, limit: number = MAX_NESTING_DEPTH): boolean {
  const nodes: ts.Node[] = [file];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()! + 1;
    if (depth > limit) return true;
    ts.forEachChild(node, (child) => {
      nodes.push(child);
      depths.push(depth);
    });
  }
  return false;
}
