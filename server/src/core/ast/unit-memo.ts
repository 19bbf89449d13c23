// Facts about a class member or a top-level statement that depend on its own
// syntax alone, kept on the node. The language service's incremental parser
// hands back the same node objects for the parts of a file an edit did not
// touch (only moved), so after an edit a walk looks again at the members and
// statements the edit changed, and takes the rest from here.
import ts from "typescript";

/** A class member, or a statement at the top of a file. */
export function isUnit(node: ts.Node): boolean {
  return ts.isClassElement(node) || (node.parent !== undefined && ts.isSourceFile(node.parent));
}

/**
 * `compute` remembered per node. What it returns may hold the node's
 * descendants, never its ancestors or positions: those change when the node
 * is reused in a new tree.
 */
export function unitMemo<T>(compute: (unit: ts.Node) => T): (unit: ts.Node) => T {
  const known = new WeakMap<ts.Node, T>();
  return (unit) => {
    if (known.has(unit)) return known.get(unit)!;
    const value = compute(unit);
    known.set(unit, value);
    return value;
  };
}

/** Adds what a unit contributed to a file's list, without spreading: a unit of a generated file can hold more items than a call takes arguments. */
export function append<T>(list: T[], items: readonly T[]): void {
  for (const item of items) list.push(item);
}
