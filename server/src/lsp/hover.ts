// The hover on a flagged range: what the hazard is (the finding's message),
// where it leads (the chain of calls, the other lock site: the related
// information), and the rule's documentation page.
import * as path from "node:path";
import { MarkupKind, type Hover, type Position } from "vscode-languageserver";
import { RULES } from "../core/rules";
import type { Finding } from "../core/types";
import { uriOf } from "./to-lsp";

function contains(f: Finding, p: Position): boolean {
  const { start, end } = f.range;
  const afterStart = p.line > start.line || (p.line === start.line && p.character >= start.character);
  const beforeEnd = p.line < end.line || (p.line === end.line && p.character <= end.character);
  return afterStart && beforeEnd;
}

/**
 * Messages quote code in backticks, which Markdown shows as code, as the
 * message means; the prose between is escaped so a `*` or `<` in it stays text.
 */
function escape(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length > 1 ? part : part.replace(/([\\*_[\]<>])/g, "\\$1")))
    .join("");
}

function section(f: Finding): string {
  const description = RULES.find((r) => r.meta.id === f.rule)?.meta.description;
  const lines = [`**Async Lens: ${f.rule}**${description ? ` — ${escape(description)}` : ""}`, "", escape(f.message)];
  if (f.related.length > 0) {
    lines.push("");
    for (const r of f.related) {
      const where = `${path.basename(r.location.file)}:${r.location.range.start.line + 1}:${r.location.range.start.character + 1}`;
      lines.push(`- ${escape(r.message)} ([${where}](${uriOf(r.location.file)}#L${r.location.range.start.line + 1}))`);
    }
  }
  lines.push("", `[Rule documentation](${f.href})`);
  return lines.join("\n");
}

export function hoverAt(findings: readonly Finding[], position: Position): Hover | null {
  const here = findings.filter((f) => contains(f, position));
  if (here.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: here.map(section).join("\n\n---\n\n") }, range: here[0].range };
}
