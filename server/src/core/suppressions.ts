// Suppression comments:
//   // async-lens-ignore-next-line blocking-call -- reason
//   /* async-lens-ignore-file blocking-call, lock-order -- reason */
// Without rule ids a directive covers every rule. A directive that suppresses
// nothing is itself reported, so stale suppressions do not pile up.
import * as ts from "typescript";
import type { Finding, Range } from "./types";
import { rangeFromOffsets } from "./location";

export const UNUSED_SUPPRESSION_RULE = "unused-suppression";

const DIRECTIVE = /async-lens-ignore-(next-line|file)\b([^\n]*)/g;

export interface Suppression {
  kind: "next-line" | "file";
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string | undefined;
  /** 0-based line the directive applies to (next-line only). */
  line: number;
  range: Range;
  used: boolean;
}

export function parseSuppressions(file: ts.SourceFile): Suppression[] {
  const text = file.text;
  if (!text.includes("async-lens-ignore-")) return [];
  const found: Suppression[] = [];
  const scan = (pos: number, end: number) => {
    const comment = text.slice(pos, end);
    for (const m of comment.matchAll(DIRECTIVE)) {
      let body = m[2].replace(/\*\/\s*$/, "");
      let reason: string | undefined;
      const dash = body.indexOf("--");
      if (dash >= 0) {
        reason = body.slice(dash + 2).trim() || undefined;
        body = body.slice(0, dash);
      }
      const rules = body.split(/[\s,]+/).filter((r) => /^[a-z][a-z0-9-]*$/.test(r));
      const start = pos + (m.index ?? 0);
      const range = rangeFromOffsets(file, start, start + m[0].length);
      found.push({ kind: m[1] === "file" ? "file" : "next-line", rules, reason, line: range.start.line + 1, range, used: false });
    }
  };
  // Comments are found by scanning trivia, so directives inside strings are never taken.
  const visit = (node: ts.Node) => {
    for (const r of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) scan(r.pos, r.end);
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const r of ts.getLeadingCommentRanges(text, file.endOfFileToken.getFullStart()) ?? []) scan(r.pos, r.end);
  const unique = new Map(found.map((s) => [`${s.range.start.line}:${s.range.start.character}`, s]));
  return [...unique.values()];
}

function covers(s: Suppression, finding: Finding): boolean {
  if (s.rules.length > 0 && !s.rules.includes(finding.rule)) return false;
  return s.kind === "file" || s.line === finding.range.start.line;
}

/**
 * Drops the findings a directive covers and returns them with one finding per
 * directive that covered nothing. Only rules that ran can make a directive used,
 * so a directive naming a disabled rule is not reported as unused.
 */
export function applySuppressions(file: ts.SourceFile, findings: Finding[], rulesRun: ReadonlySet<string>, href: string): Finding[] {
  const suppressions = parseSuppressions(file);
  if (suppressions.length === 0) return findings;
  const kept = findings.filter((f) => {
    const by = suppressions.filter((s) => covers(s, f));
    by.forEach((s) => (s.used = true));
    return by.length === 0;
  });
  for (const s of suppressions) {
    if (s.used || (s.rules.length > 0 && !s.rules.some((r) => rulesRun.has(r)))) continue;
    kept.push({
      rule: UNUSED_SUPPRESSION_RULE,
      severity: "warning",
      message: `This async-lens-ignore directive suppresses nothing${s.rules.length > 0 ? ` (${s.rules.join(", ")})` : ""}; remove it so it does not hide a future finding.`,
      file: file.fileName,
      range: s.range,
      href,
      related: [],
      fixes: [],
      tags: ["unnecessary"],
    });
  }
  return kept;
}
