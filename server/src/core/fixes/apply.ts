// Applying text edits, shared by `async-lens check --fix` and the tests that
// compare fixed output with the expected text.
import { mergeImportLines } from "./merge-imports";
import type { Fix, Position, TextEdit } from "../types";

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A position past the end of its line or of the text clamps to that end, so stale edits cannot corrupt a file. */
function offsetOf(starts: number[], text: string, p: Position): number {
  if (p.line >= starts.length) return text.length;
  const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] - 1 : text.length;
  return Math.min(starts[p.line] + p.character, lineEnd);
}

/**
 * Applies edits to one file's text. Overlapping edits cannot both apply: the
 * later one (in position order) is skipped and returned, so a caller can run
 * another round after re-analysing.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; skipped: TextEdit[] } {
  const starts = lineStarts(text);
  const withOffsets = edits
    .map((edit, index) => ({ edit, index, start: offsetOf(starts, text, edit.range.start), end: offsetOf(starts, text, edit.range.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  const applied: typeof withOffsets = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of withOffsets) {
    // Two insertions at one point (two imports) may both apply; overlapping replacements may not.
    if (e.start < lastEnd) {
      skipped.push(e.edit);
      continue;
    }
    applied.push(e);
    lastEnd = Math.max(lastEnd, e.end);
  }
  let out = "";
  let cursor = 0;
  for (const e of applied) {
    out += text.slice(cursor, e.start) + e.edit.newText;
    cursor = e.end;
  }
  return { text: out + text.slice(cursor), skipped };
}

/**
 * Picks which fixes to apply together: each fix whole or not at all, and no two
 * whose edits overlap. Identical edits (the same import added by two fixes) are
 * applied once, and new imports of one module become one import.
 */
export function combineFixes(fixes: readonly Fix[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const keys = new Set<string>();
  const key = (e: TextEdit) => `${e.file}:${e.range.start.line}:${e.range.start.character}:${e.range.end.line}:${e.range.end.character}:${e.newText}`;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  const overlaps = (a: TextEdit, b: TextEdit) => a.file === b.file && before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
  for (const fix of fixes) {
    const fresh = fix.edits.filter((e) => !keys.has(key(e)));
    if (fresh.some((e) => chosen.some((c) => overlaps(e, c)))) continue;
    for (const e of fresh) {
      keys.add(key(e));
      chosen.push(e);
    }
  }
  return mergeImportLines(chosen);
}
