// Finding candidate nodes from the file text: a regular expression finds the
// few places worth a look, and a descent from the root reaches the node
// there. Walking every node of every file costs more than the rules' checks.
import ts from "typescript";

/** Binary search of a long list of children (statements, class members) for the one containing `pos`. */
function childInList(list: readonly ts.Node[] | undefined, pos: number): ts.Node | undefined {
  if (!list || list.length < 8) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const child = list[mid];
    if (pos < child.pos) hi = mid - 1;
    else if (pos >= child.end) lo = mid + 1;
    else return child;
  }
  return undefined;
}

/** The innermost node whose text range contains `pos`. */
export function nodeAt(file: ts.SourceFile, pos: number): ts.Node {
  let current: ts.Node = file;
  for (;;) {
    const lists = current as { statements?: readonly ts.Node[]; members?: readonly ts.Node[] };
    let next: ts.Node | undefined = childInList(lists.statements, pos) ?? childInList(lists.members, pos);
    if (next) {
      current = next;
      continue;
    }
    ts.forEachChild(current, (child) => {
      if (child.pos <= pos && pos < child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    if (!next) return current;
    current = next;
  }
}

/** For each match of `pattern` (which must be global) in the file, the innermost node at the match's `group` start. */
export function nodesAtMatches(file: ts.SourceFile, pattern: RegExp, group = 0): ts.Node[] {
  const out: ts.Node[] = [];
  const text = file.text;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const offset = m.index + (group > 0 ? m[0].indexOf(m[group]) : 0);
    out.push(nodeAt(file, offset));
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return out;
}
