// The core's plain findings as LSP values. The core's positions are already
// 0-based lines and UTF-16 characters, as LSP's are.
import { fileURLToPath, pathToFileURL } from "node:url";
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from "vscode-languageserver";
import type { Finding, Problem, Severity, TextEdit } from "../core/types";

export const SOURCE = "async-lens";

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** The path of a `file:` URI; undefined for other schemes (untitled buffers, git revisions), which are not analysed. */
export function fileOf(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    source: SOURCE,
    code: finding.rule,
    codeDescription: { href: finding.href },
    severity: SEVERITIES[finding.severity],
    message: finding.message,
    range: finding.range,
    relatedInformation: finding.related.map((r) => ({ location: { uri: uriOf(r.location.file), range: r.location.range }, message: r.message })),
    tags: finding.tags?.map((t) => (t === "unnecessary" ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated)),
  };
}

/** A problem that stopped analysis (a broken config file, a rule that failed) as an error on the file it names. */
export function problemDiagnostic(problem: Problem): Diagnostic {
  return {
    source: SOURCE,
    severity: DiagnosticSeverity.Error,
    message: problem.message,
    range: problem.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

export function toWorkspaceEdit(edits: readonly TextEdit[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) (changes[uriOf(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}
