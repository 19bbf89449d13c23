// Suppression comments:
//   // async-lens-ignore-next-line blocking-call -- reason
//   /* async-lens-ignore-file blocking-call, lock-order -- reason */
// The directive must open its comment (as ESLint's do), so a comment that only
// mentions one, like the examples above, is not taken for one. Without rule ids
// a directive covers every rule. A directive that suppresses nothing is itself
// reported, by the unused-suppression rule, so stale suppressions do not pile up.
import ts from "typescript";
import type { Finding, Range, TextEdit } from "./types";
import { rangeFromOffsets } from "./location";

/** `//` or `/*`, then spaces or a JSDoc-style `*`, then the directive up to the end of its line. */
const DIRECTIVE = /^\/[/*][\s*]*(async-lens-ignore-(next-line|file)\b[^\n]*)/;

export interface Suppression {
  kind: "next-line" | "file";
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string | undefined;
  /** 0-based line the directive applies to (next-line only): the line after the comment. */
  line: number;
  range: Range;
  used: boolean;
  /** Deletes the directive's comment (its whole line when it stands alone). */
  removal: TextEdit;
}

export function parseSuppressions(file: ts.SourceFile): Suppression[] {
  const text = file.text;
  if (!text.includes("async-lens-ignore-")) return [];
  const found: Suppression[] = [];
  const scan = (pos: number, end: number) => {
    const m = DIRECTIVE.exec(text.slice(pos, end));
    if (!m) return;
    const directive = m[1].replace(/\s*\*\/\s*$/, "").trimEnd();
    let body = directive.slice(`async-lens-ignore-${m[2]}`.length);
    let reason: string | undefined;
    const dash = body.indexOf("--");
    if (dash >= 0) {
      reason = body.slice(dash + 2).trim() || undefined;
      body = body.slice(0, dash);
    }
    const rules = body.split(/[\s,]+/).filter((r) => /^[a-z][a-z0-9-]*$/.test(r));
    const start = pos + m[0].length - m[1].length;
    const range = rangeFromOffsets(file, start, start + directive.length);
    const line = file.getLineAndCharacterOfPosition(end).line + 1;
    found.push({ kind: m[2] === "file" ? "file" : "next-line", rules, reason, line, range, used: false, removal: removalOf(file, pos, end) });
  };
  // Comments are found by scanning trivia, so directives inside strings are never taken.
  // Trailing ranges catch a directive written after code on the same line.
  const visit = (node: ts.Node) => {
    for (const r of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) scan(r.pos, r.end);
    for (const r of ts.getTrailingCommentRanges(text, node.getEnd()) ?? []) scan(r.pos, r.end);
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const r of ts.getLeadingCommentRanges(text, file.endOfFileToken.getFullStart()) ?? []) scan(r.pos, r.end);
  const unique = new Map(found.map((s) => [`${s.range.start.line}:${s.range.start.character}`, s]));
  return [...unique.values()];
}

/** Alone on its line, the comment goes with its line; after code, with the spaces before it. */
function removalOf(file: ts.SourceFile, pos: number, end: number): TextEdit {
  const text = file.text;
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  const newline = text.indexOf("\n", end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const aloneOnLine = text.slice(lineStart, pos).trim() === "" && text.slice(end, lineEnd).trim() === "";
  let from = pos;
  while (from > lineStart && (text[from - 1] === " " || text[from - 1] === "\t")) from--;
  const [start, stop] = aloneOnLine ? [lineStart, lineEnd] : [from, end];
  return { file: file.fileName, range: rangeFromOffsets(file, start, stop), newText: "" };
}

function covers(s: Suppression, finding: Finding): boolean {
  if (s.rules.length > 0 && !s.rules.includes(finding.rule)) return false;
  return s.kind === "file" || s.line === finding.range.start.line;
}

/** Drops the findings a directive covers, and marks each directive that covered one as used. */
export function applySuppressions(findings: Finding[], directives: readonly Suppression[]): Finding[] {
  if (directives.length === 0) return findings;
  return findings.filter((f) => {
    const by = directives.filter((s) => covers(s, f));
    by.forEach((s) => (s.used = true));
    return by.length === 0;
  });
}
