// `--format json`: the stable machine-readable shape CI integrations read.
// Lines and columns are 1-based; columns count UTF-16 code units, as editors do.
// Problems (unreadable files, config errors) go to stderr, never into this document.
import type { Finding } from "../core/types";
import { compareFindings } from "../core/diagnostic";
import { displayPath, type CheckReport } from "./report";

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Finding["severity"];
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
  fixes: { title: string }[];
}

export interface JsonReport {
  version: 1;
  files: number;
  diagnostics: JsonDiagnostic[];
}

export function toJsonReport(report: CheckReport): JsonReport {
  return {
    version: 1,
    files: report.files,
    diagnostics: [...report.findings].sort(compareFindings).map((f) => ({
      file: displayPath(report.cwd, f.file),
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      related: f.related.map((r) => ({
        file: displayPath(report.cwd, r.location.file),
        line: r.location.range.start.line + 1,
        column: r.location.range.start.character + 1,
        message: r.message,
      })),
      fixes: f.fixes.map((x) => ({ title: x.title })),
    })),
  };
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
