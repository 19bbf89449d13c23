// Which lines of a file get "Show in Task Inspector": those the language
// server flagged (its diagnostics' source is "async-lens"), once per line,
// whatever the rules. No vscode import, so a plain Node test checks it; the
// extension's code action provider (show-in-inspector.ts) wraps it.

export const STATIC_DIAGNOSTIC_SOURCE = "async-lens";
export const SHOW_IN_INSPECTOR_TITLE = "Show in Task Inspector";

/** The shape of a diagnostic this needs: vscode.Diagnostic has it, with 0-based lines. */
export interface DiagnosticLike {
  source?: string;
  range: { start: { line: number } };
}

/** A site to filter the panel to: a file and its 1-based line, as the trace's sites give them. */
export interface SiteAction<D extends DiagnosticLike> {
  title: string;
  file: string;
  line: number;
  diagnostics: D[];
}

export function siteActions<D extends DiagnosticLike>(file: string, diagnostics: readonly D[]): SiteAction<D>[] {
  const byLine = new Map<number, D[]>();
  for (const d of diagnostics) {
    if (d.source !== STATIC_DIAGNOSTIC_SOURCE) continue;
    const line = d.range.start.line + 1;
    byLine.set(line, [...(byLine.get(line) ?? []), d]);
  }
  return [...byLine].map(([line, list]) => ({ title: `${SHOW_IN_INSPECTOR_TITLE} (line ${line})`, file, line, diagnostics: list }));
}
