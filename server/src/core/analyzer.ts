// Runs the enabled rules over a program's files and returns findings with
// severities and suppressions applied, and fixes written in the line endings
// of the files they edit. A rule that throws on one file is reported as a
// problem and the other rules and files carry on.
// First: loads TypeScript with a code cache and without the namespace wrapper (see there).
import "./load-typescript";
import * as path from "node:path";
import picomatch from "picomatch";
import type * as ts from "typescript";
import { buildCatalogue } from "./catalogue";
import type { AsyncLensConfig } from "./config";
import { buildFinding, ruleDocsUrl } from "./diagnostic";
import { fixesInFileEol } from "./eol";
import { ProjectFacts } from "./facts";
import type { Rule, RuleContext } from "./rule";
import { RULES } from "./rules";
import { applySuppressions, UNUSED_SUPPRESSION_RULE } from "./suppressions";
import type { Finding, Problem, Severity, SeveritySetting } from "./types";

export interface AnalyzeOptions {
  config: AsyncLensConfig;
  /** Folder that `ignore` globs are relative to. */
  root: string;
  /** Severity overrides that win over the configuration (`--rule id=severity`, editor settings). */
  ruleOverrides?: Record<string, SeveritySetting>;
  /** Restricts the analysis to these rules (fixture tests run one rule at a time). */
  only?: readonly string[];
  /**
   * The files project-wide facts (the lock-order graph) are computed over; by
   * default the files analysed. The language server analyses the open files
   * one at a time, each against the facts of its whole project.
   */
  projectFiles?: readonly ts.SourceFile[];
  /** Checked between files; returning true stops the analysis early. */
  isCancelled?: () => boolean;
  /** Called after each file, for progress reporting. */
  onFile?: (done: number, total: number) => void;
}

export interface AnalysisResult {
  findings: Finding[];
  problems: Problem[];
  /** How many files were analysed. */
  files: number;
}

export function severityOf(rule: Rule, options: AnalyzeOptions): SeveritySetting {
  return options.ruleOverrides?.[rule.meta.id] ?? options.config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
}

/** Rule ids the configuration names that no rule has: reported so typos are visible. */
export function unknownRuleIds(ids: Iterable<string>): string[] {
  const known = new Set([...RULES.map((r) => r.meta.id), UNUSED_SUPPRESSION_RULE]);
  return [...ids].filter((id) => !known.has(id));
}

/** Rule ids in the configuration that no rule has, as a problem on its file: a typo would otherwise silently do nothing. */
export function unknownConfigRules(config: AsyncLensConfig, file: string | undefined): Problem[] {
  const unknown = unknownRuleIds(Object.keys(config.rules));
  if (unknown.length === 0) return [];
  return [{ kind: "config", file, message: `unknown rule${unknown.length === 1 ? "" : "s"} in the configuration: ${unknown.join(", ")}` }];
}

export function analyzeProgram(program: ts.Program, files: readonly ts.SourceFile[], options: AnalyzeOptions): AnalysisResult {
  const problems: Problem[] = [];
  const active = RULES.map((rule) => ({ rule, severity: severityOf(rule, options) }))
    .filter((r): r is { rule: Rule; severity: Severity } => r.severity !== "off")
    .filter((r) => options.only === undefined || options.only.includes(r.rule.meta.id));
  const rulesRun = new Set(active.map((r) => r.rule.meta.id));
  const knownRules = new Set(RULES.map((r) => r.meta.id));
  const ignored = options.config.ignore.length > 0 ? picomatch(options.config.ignore, { dot: true }) : undefined;
  const kept = (f: ts.SourceFile) => !ignored?.(path.relative(options.root, f.fileName).split(path.sep).join("/"));
  const targets = files.filter(kept);
  const checker = program.getTypeChecker();
  const catalogue = buildCatalogue(options.config);
  const factFiles = options.projectFiles?.filter(kept) ?? targets;
  const facts = new ProjectFacts(program, checker, factFiles, catalogue, options.config.chainDepth);
  const unusedSeverity = options.ruleOverrides?.[UNUSED_SUPPRESSION_RULE] ?? options.config.rules[UNUSED_SUPPRESSION_RULE] ?? "warning";
  const findings: Finding[] = [];
  const textOf = (fileName: string) => program.getSourceFile(fileName)?.text;
  let done = 0;

  for (const file of targets) {
    if (options.isCancelled?.()) break;
    const fileFindings: Finding[] = [];
    for (const { rule, severity } of active) {
      const context: RuleContext = {
        program,
        checker,
        catalogue,
        chainDepth: options.config.chainDepth,
        facts,
        report: (report) => fileFindings.push(buildFinding(rule.meta, severity, report)),
      };
      try {
        rule.check(file, context);
      } catch (error) {
        problems.push({
          kind: "internal",
          file: file.fileName,
          message: `rule ${rule.meta.id} failed on ${file.fileName}: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    const kept = applySuppressions(file, dedupe(fileFindings), rulesRun, ruleDocsUrl(UNUSED_SUPPRESSION_RULE), knownRules).map((f) => fixesInFileEol(f, textOf));
    for (const f of kept) {
      if (f.rule !== UNUSED_SUPPRESSION_RULE) findings.push(f);
      else if (unusedSeverity !== "off" && options.only === undefined) findings.push({ ...f, severity: unusedSeverity });
    }
    done++;
    options.onFile?.(done, targets.length);
  }
  return { findings, problems, files: done };
}

/** Two paths to the same hazard (a call reached twice) are one finding. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}:${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
