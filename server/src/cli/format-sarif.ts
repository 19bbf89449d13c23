// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. Locations are
// relative URIs against the %SRCROOT% base (the working folder), so a log made
// in CI points at the repository's files wherever it is uploaded.
import { pathToFileURL } from "node:url";
import type * as sarif from "sarif";
import { compareFindings, ruleDocsUrl } from "../core/diagnostic";
import { RULES } from "../core/rules";
import type { Finding, Problem, Range, Severity, TextEdit } from "../core/types";
import { displayPath, problemMessage, type CheckReport } from "./report";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/async-lens/async-lens";
const SRCROOT = "%SRCROOT%";

interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: Severity;
}

/** Every rule the tool knows. */
function knownRules(): RuleInfo[] {
  return RULES.map((r) => ({ id: r.meta.id, description: r.meta.description, defaultSeverity: r.meta.defaultSeverity }));
}

export function sarifLevel(severity: Severity): sarif.ReportingConfiguration.level {
  return severity === "error" ? "error" : severity === "warning" ? "warning" : "note";
}

function uriOf(cwd: string, file: string): string {
  return displayPath(cwd, file).split("/").map(encodeURIComponent).join("/");
}

function region(range: Range): sarif.Region {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function physicalLocation(cwd: string, file: string, range: Range): sarif.PhysicalLocation {
  return { artifactLocation: { uri: uriOf(cwd, file), uriBaseId: SRCROOT }, region: region(range) };
}

function sarifFixes(cwd: string, finding: Finding): sarif.Fix[] {
  return finding.fixes
    .filter((fix) => fix.edits.length > 0)
    .map((fix) => {
      const byFile = new Map<string, TextEdit[]>();
      for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
      return {
        description: { text: fix.title },
        artifactChanges: [...byFile].map(([file, edits]) => ({
          artifactLocation: { uri: uriOf(cwd, file), uriBaseId: SRCROOT },
          replacements: edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
        })),
      };
    });
}

function notification(cwd: string, problem: Problem): sarif.Notification {
  return {
    level: problem.kind === "notice" ? "note" : problem.kind === "read" ? "warning" : "error",
    message: { text: problemMessage(cwd, problem) },
    ...(problem.file !== undefined
      ? { locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(cwd, problem.file), uriBaseId: SRCROOT }, ...(problem.range ? { region: region(problem.range) } : {}) } }] }
      : {}),
  };
}

export function toSarifLog(report: CheckReport, toolVersion: string): sarif.Log {
  const rules = knownRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: sarif.Result[] = [...report.findings].sort(compareFindings).map((f) => ({
    ruleId: f.rule,
    ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(report.cwd, f.file, f.range) }],
    ...(f.related.length > 0
      ? { relatedLocations: f.related.map((r, i) => ({ id: i, physicalLocation: physicalLocation(report.cwd, r.location.file, r.location.range), message: { text: r.message } })) }
      : {}),
    ...(f.fixes.some((x) => x.edits.length > 0) ? { fixes: sarifFixes(report.cwd, f) } : {}),
  }));
  const baseUri = pathToFileURL(report.cwd).href;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "async-lens",
            version: toolVersion,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: ruleDocsUrl(r.id),
              defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri.endsWith("/") ? baseUri : `${baseUri}/` } },
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            executionSuccessful: !report.problems.some((p) => p.kind !== "read" && p.kind !== "notice"),
            toolExecutionNotifications: report.problems.map((p) => notification(report.cwd, p)),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: CheckReport, toolVersion: string): string {
  return `${JSON.stringify(toSarifLog(report, toolVersion), null, 2)}\n`;
}
