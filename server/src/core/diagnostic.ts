// Every finding is built here, so that each one carries the same fields:
// rule id, severity, documentation link, precise range and related locations.
import type { Report, RuleMeta } from "./rule";
import type { Finding, Severity } from "./types";
import { locationOf, rangeOf } from "./location";

export const DOCS_BASE_URL = "https://github.com/async-lens/async-lens/blob/main/server/docs/rules/";

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export function buildFinding(meta: RuleMeta, severity: Severity, report: Report): Finding {
  const file = report.node.getSourceFile();
  return {
    rule: meta.id,
    severity,
    message: report.message,
    file: file.fileName,
    range: rangeOf(report.node, file),
    href: ruleDocsUrl(meta.id),
    related: (report.related ?? []).map((r) => ({ location: locationOf(r.node), message: r.message })),
    fixes: report.fixes ?? [],
  };
}
