// Runs the enabled rules over a program's files and returns findings with
// severities and suppressions applied, and fixes written in the line endings
// of the files they edit. A rule that throws on one file is reported as a
// problem and the other rules and files carry on.
// First: loads TypeScript with a code cache and without the namespace wrapper (see there).
import "./load-typescript";
import * as path from "node:path";
import picomatch from "picomatch";
import type ts from "typescript";
import { buildCatalogue } from "./catalogue";
import type { AsyncLensConfig } from "./config";
import { buildFinding } from "./diagnostic";
import { fixesInFileEol } from "./fixes/eol";
import { ProjectFacts, type CarriedFacts } from "./facts";
import type { PartialPlan } from "./partial-analysis";
import type { Rule, RuleContext } from "./rule";
import { RULES } from "./rules";
import { describeUnknownRule, knownRuleIds, unknownRuleIds } from "./rule-ids";
import { applySuppressions, parseSuppressions } from "./suppressions";
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
  /** Per-file facts kept from the analysis of an earlier program of this project (see CarriedFacts). */
  carried?: CarriedFacts;
  /** Re-analyses one edited file in part, keeping the previous findings of its unchanged units (see partial-analysis). */
  partial?: { file: string; plan: PartialPlan };
  /** Checked between files; returning true stops the analysis early. */
  isCancelled?: () => boolean;
  /** Called after each file, for progress reporting. */
  onFile?: (done: number, total: number) => void;
  /** Called before each file, for progress reporting on large files. */
  onFileStart?: (file: ts.SourceFile, done: number, total: number) => void;
}

export interface AnalysisResult {
  findings: Finding[];
  problems: Problem[];
  /** How many files were analysed. */
  files: number;
  /** The rules' findings before suppressions and fixes in the files' line endings: what a partial analysis keeps. */
  unsuppressed: Finding[];
}

export function severityOf(rule: Rule, options: AnalyzeOptions): SeveritySetting {
  return options.ruleOverrides?.[rule.meta.id] ?? options.config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
}

/** Rule ids in the configuration that no rule has, as a problem on its file: a typo would otherwise silently do nothing. */
export function unknownConfigRules(config: AsyncLensConfig, file: string | undefined): Problem[] {
  const unknown = unknownRuleIds(Object.keys(config.rules));
  if (unknown.length === 0) return [];
  return [{ kind: "config", file, message: `unknown rule${unknown.length === 1 ? "" : "s"} in the configuration: ${unknown.map(describeUnknownRule).join(", ")}; the rest of the configuration applies` }];
}

export function analyzeProgram(program: ts.Program, files: readonly ts.SourceFile[], options: AnalyzeOptions): AnalysisResult {
  const problems: Problem[] = [];
  const active = RULES.map((rule) => ({ rule, severity: severityOf(rule, options) }))
    .filter((r): r is { rule: Rule; severity: Severity } => r.severity !== "off")
    .filter((r) => options.only === undefined || options.only.includes(r.rule.meta.id));
  const rulesRun = new Set(active.map((r) => r.rule.meta.id));
  const knownRules = new Set(knownRuleIds());
  const ignored = options.config.ignore.length > 0 ? picomatch(options.config.ignore, { dot: true }) : undefined;
  const kept = (f: ts.SourceFile) => !ignored?.(path.relative(options.root, f.fileName).split(path.sep).join("/"));
  const targets = files.filter(kept);
  const checker = program.getTypeChecker();
  const catalogue = buildCatalogue(options.config);
  const factFiles = options.projectFiles?.filter(kept) ?? targets;
  const facts = new ProjectFacts(program, checker, factFiles, catalogue, options.config.chainDepth, options.carried);
  const findings: Finding[] = [];
  const unsuppressed: Finding[] = [];
  const textOf = (fileName: string) => program.getSourceFile(fileName)?.text;
  let done = 0;

  for (const file of targets) {
    if (options.isCancelled?.()) break;
    options.onFileStart?.(file, done, targets.length);
    const directives = parseSuppressions(file);
    const plan = options.partial?.file === file.fileName ? options.partial.plan : undefined;
    let fileFindings: Finding[] = [];
    const run = ({ rule, severity }: { rule: Rule; severity: Severity }) => {
      const context: RuleContext = {
        program,
        checker,
        catalogue,
        chainDepth: options.config.chainDepth,
        file,
        facts,
        suppressions: { directives, rulesRun, knownRules },
        inScope: plan?.inScope ?? (() => true),
        skips: plan?.skips ?? (() => false),
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
    };
    active.filter((r) => !r.rule.meta.afterSuppressions).forEach(run);
    fileFindings = dedupe(fileFindings);
    if (plan) fileFindings = [...plan.kept, ...fileFindings.filter((f) => plan.covers(f))];
    unsuppressed.push(...fileFindings);
    fileFindings = applySuppressions(fileFindings, directives);
    active.filter((r) => r.rule.meta.afterSuppressions).forEach(run);
    findings.push(...fileFindings.map((f) => fixesInFileEol(f, textOf)));
    done++;
    options.onFile?.(done, targets.length);
  }
  return { findings, problems, files: done, unsuppressed };
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
