// Plain data that leaves the analysis core: the CLI prints it, the language
// server turns it into LSP diagnostics, the tests compare it with fixtures.
// Positions are 0-based (line, character), as in LSP; the CLI adds one.

export type Severity = "error" | "warning" | "information" | "hint";
/** Every severity a rule can be set to, in increasing order. */
export const SEVERITY_SETTINGS = ["off", "hint", "information", "warning", "error"] as const satisfies readonly (Severity | "off")[];
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  file: string;
  range: Range;
}

export interface RelatedInformation {
  location: Location;
  message: string;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Preferred fixes are the ones `--fix` and `source.fixAll` apply. */
  isPreferred?: boolean;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** Link to the rule's documentation page. */
  href: string;
  related: RelatedInformation[];
  fixes: Fix[];
  tags?: ("unnecessary" | "deprecated")[];
  /** Which of the rule's declared messages (`meta.messages`) this is. */
  messageId?: string;
}

/**
 * Something that stopped part of the input from being analysed, or (a
 * notice) something about the input the user should know that did not.
 */
export interface Problem {
  kind: "usage" | "config" | "read" | "internal" | "notice";
  message: string;
  file?: string;
  range?: Range;
}
