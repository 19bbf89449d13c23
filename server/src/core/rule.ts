import type ts from "typescript";
import type { Catalogue } from "./catalogue";
import type { Fix, RelatedInformation, Severity } from "./types";
import type { ProjectFacts } from "./facts";

export interface RuleMeta {
  /** kebab-case id; also the rule's file name and doc page name. */
  id: string;
  /** One line for the rules table and the hover's heading. */
  description: string;
  defaultSeverity: Severity;
  /** The rule offers quick fixes. */
  fixable: boolean;
}

export interface Report {
  /** The node the diagnostic is anchored on (the call, not the whole function). */
  node: ts.Node;
  message: string;
  related?: { node: ts.Node; message: string }[];
  fixes?: Fix[];
}

export interface RuleContext {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly catalogue: Catalogue;
  /** How many project-function hops a call chain may follow. */
  readonly chainDepth: number;
  /** Project-wide facts shared by the rules and computed once per analysis. */
  readonly facts: ProjectFacts;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Visits one source file; project-wide rules read what they need from `facts`. */
  check(file: ts.SourceFile, context: RuleContext): void;
}

export type { RelatedInformation };
