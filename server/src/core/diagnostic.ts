// Every finding is built here, so that each one carries the same fields:
// rule id, severity, documentation link, precise range and related locations.
import type { Report, ReportMessage, RuleMeta } from "./rule";
import type { Finding, Severity } from "./types";
import { locationOf, rangeOf } from "./location";

export const DOCS_BASE_URL = "https://github.com/async-lens/async-lens/blob/main/server/docs/rules/";

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

/** The text a report carries, its declared message filled in; a message the rule does not declare is the rule's bug, and throws. */
export function messageOf(meta: RuleMeta, report: ReportMessage): string {
  const spec = meta.messages[report.messageId];
  if (!spec) throw new Error(`rule ${meta.id} reported an undeclared message '${report.messageId}'`);
  return spec.text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = report.data?.[name];
    if (value === undefined) throw new Error(`rule ${meta.id}, message '${report.messageId}': no value for {${name}}`);
    return value;
  });
}

export function buildFinding(meta: RuleMeta, severity: Severity, report: Report): Finding {
  const file = "node" in report ? report.node.getSourceFile() : report.file;
  return {
    rule: meta.id,
    severity,
    message: messageOf(meta, report),
    file: file.fileName,
    range: "node" in report ? rangeOf(report.node, file) : report.range,
    href: ruleDocsUrl(meta.id),
    related: (report.related ?? []).map((r) => ({ location: locationOf(r.node), message: r.message })),
    fixes: report.fixes ?? [],
    ...(report.tags ? { tags: report.tags } : {}),
    messageId: report.messageId,
  };
}

/** Findings in reading order: by file, position, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
