import type ts from "typescript";
import type { Catalogue } from "./catalogue";
import type { Suppression } from "./suppressions";
import type { Fix, Finding, Range, RelatedInformation, Severity } from "./types";
import type { ProjectFacts } from "./facts";

/**
 * One of a rule's messages. A finding says what is wrong, why it matters and
 * what to do: `why` and `action` name those parts of `text`, so that a test can
 * check every message has them. `{name}` placeholders take the report's data.
 */
export interface MessageSpec {
  text: string;
  why: string;
  action: string;
}

/** The hazard a rule finds: the accuracy corpus is grouped by these. */
export type Hazard = "blocking" | "locks" | "queues";

export interface RuleMeta {
  /** kebab-case id; also the rule's folder (or file) name and doc page name. */
  id: string;
  /** One line for the rules table and the hover's heading. */
  description: string;
  defaultSeverity: Severity;
  /** The rule offers quick fixes: its fixture folder must then have a `.fixed` case, and a rule without it offers none. */
  fixable: boolean;
  /** Undefined for the checks of Async Lens's own comments. */
  hazard?: Hazard;
  /** Every message the rule reports, by id: a fixture marker can name one (`[rule/id]`). */
  messages: Record<string, MessageSpec>;
  /** Runs after the other rules' findings in the file are matched against the suppression comments. */
  afterSuppressions?: boolean;
}

/** The text of a finding: one of the rule's declared messages with its placeholders' values, never text of the rule's own. */
export type ReportMessage = { messageId: string; data?: Record<string, string> };

type ReportBody = ReportMessage & {
  related?: { node: ts.Node; message: string }[];
  fixes?: Fix[];
  tags?: Finding["tags"];
};

/** Anchored on a node (the call, not the whole function), or on a range of a file that no node covers (a comment). */
export type Report = ReportBody & ({ node: ts.Node } | { file: ts.SourceFile; range: Range });

/** What every part of the analysis reads: the program, its checker and the configured catalogues. */
export interface AnalysisContext {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly catalogue: Catalogue;
  /** How many project-function hops a call chain may follow. */
  readonly chainDepth: number;
}

export interface SuppressionState {
  /** The file's async-lens-ignore directives; `used` is final for rules with `afterSuppressions`. */
  readonly directives: readonly Suppression[];
  /** Only these rules could have used a directive. */
  readonly rulesRun: ReadonlySet<string>;
  readonly knownRules: ReadonlySet<string>;
}

/** The one context a rule and its helpers are handed. */
export interface RuleContext extends AnalysisContext {
  /** The file being checked. */
  readonly file: ts.SourceFile;
  /** Project-wide facts shared by the rules and computed once per analysis. */
  readonly facts: ProjectFacts;
  readonly suppressions: SuppressionState;
  /**
   * False for a node whose findings a partial analysis keeps from the previous
   * one: a rule may skip the checker's work there (what it reports there is dropped).
   */
  inScope(node: ts.Node): boolean;
  /** True for a node no part of which a partial analysis checks again: a walk may skip it whole. */
  skips(node: ts.Node): boolean;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Visits one source file; project-wide rules read what they need from `facts`. */
  check(file: ts.SourceFile, context: RuleContext): void;
}

export type { RelatedInformation };
