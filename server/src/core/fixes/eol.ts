// Fix builders write "\n". A file with CRLF line endings would be left with
// mixed endings, so the analyser converts every fix's text here, once, to the
// line ending of the file the edit goes into, rather than each builder
// having to remember to.
import type { Finding } from "../types";

type Eol = "\n" | "\r\n";

/** A file's line ending is that of its first line break, as editors decide; no break at all reads as "\n". */
export function eolOf(text: string): Eol {
  const lf = text.indexOf("\n");
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? "\r\n" : "\n";
}

/** Text copied from a CRLF file already has "\r\n": it is kept, not doubled. */
export function withEol(text: string, eol: Eol): string {
  return eol === "\n" ? text : text.replace(/\r?\n/g, eol);
}

/** The finding with its fixes' text in the line ending of each file they edit (`textOf` gives a file's text). */
export function fixesInFileEol(finding: Finding, textOf: (file: string) => string | undefined): Finding {
  if (finding.fixes.length === 0) return finding;
  const fixes = finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, newText: withEol(e.newText, eolOf(textOf(e.file) ?? "")) })) }));
  return { ...finding, fixes };
}
