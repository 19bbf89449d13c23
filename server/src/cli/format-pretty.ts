// `--format pretty`: one line per finding, `file:line:col  severity  message  rule`,
// in the form terminals and editors turn into links, related locations indented
// under it, and a summary line. Colours only when asked for (a TTY without NO_COLOR).
import type { Finding, Severity } from "../core/types";
import { compareFindings } from "../core/diagnostic";
import { countBySeverity, displayPath, type CheckReport } from "./report";

export interface PrettyOptions {
  color: boolean;
}

type Paint = (text: string) => string;

function painter(enabled: boolean, open: number, close: number): Paint {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

function palette(color: boolean) {
  return {
    red: painter(color, 31, 39),
    yellow: painter(color, 33, 39),
    cyan: painter(color, 36, 39),
    green: painter(color, 32, 39),
    dim: painter(color, 2, 22),
    bold: painter(color, 1, 22),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function formatPretty(report: CheckReport, options: PrettyOptions): string {
  const c = palette(options.color);
  const severityText: Record<Severity, string> = {
    error: c.red("error"),
    warning: c.yellow("warning"),
    information: c.cyan("info"),
    hint: c.dim("hint"),
  };
  const where = (file: string, line: number, character: number) => `${displayPath(report.cwd, file)}:${line + 1}:${character + 1}`;
  const lines: string[] = [];
  const findings = [...report.findings].sort(compareFindings);

  for (const f of findings) {
    lines.push(`${c.bold(where(f.file, f.range.start.line, f.range.start.character))}  ${severityText[f.severity]}  ${f.message}  ${c.dim(f.rule)}`);
    for (const r of f.related) {
      lines.push(`    ${c.dim(where(r.location.file, r.location.range.start.line, r.location.range.start.character))}  ${r.message}`);
    }
  }
  if (findings.length > 0) lines.push("");
  lines.push(summary(report, findings, c));
  return `${lines.join("\n")}\n`;
}

function summary(report: CheckReport, findings: readonly Finding[], c: ReturnType<typeof palette>): string {
  const inFiles = `in ${plural(report.files, "file")}`;
  const incomplete = new Set(report.problems.filter((p) => p.kind === "read" || p.kind === "internal").map((p) => p.file ?? "")).size;
  const setupErrors = report.problems.filter((p) => p.kind === "usage" || p.kind === "config").length;
  const caveats = [
    ...(setupErrors > 0 ? [`${plural(setupErrors, "error")} in the command line or configuration (see above).`] : []),
    ...(incomplete > 0 ? [`${plural(incomplete, "file")} could not be analysed or fixed fully (see the errors above).`] : []),
  ];
  const caveat = caveats.map((line) => `\n  ${c.red(line)}`).join("");
  if (findings.length === 0) return (caveats.length > 0 ? `No problems found ${inFiles}.` : c.green(`✔ No problems found ${inFiles}.`)) + caveat;
  const counts = countBySeverity(findings);
  const parts = [plural(counts.errors, "error"), plural(counts.warnings, "warning")];
  if (counts.notes > 0) parts.push(`${counts.notes} info`);
  const fixable = findings.filter((f) => f.fixes.some((x) => x.isPreferred)).length;
  const paint = counts.errors > 0 ? c.red : counts.warnings > 0 ? c.yellow : c.cyan;
  const line = `✖ ${plural(findings.length, "problem")} (${parts.join(", ")}) ${inFiles}.`;
  return c.bold(paint(line)) + (fixable > 0 ? `\n  ${fixable} of them can be fixed with the --fix option.` : "") + caveat;
}
