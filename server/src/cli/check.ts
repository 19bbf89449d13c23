// `async-lens check`: loads the project, runs the rules, optionally applies the
// preferred fixes, prints the findings and returns the exit code:
//   0  clean: no error finding, warnings within --max-warnings, every file analysed;
//   1  an error finding, more warnings than --max-warnings, or a file that could
//      not be analysed (unreadable, binary, a rule failure), since then the check
//      cannot vouch for it;
//   2  a usage or configuration error (bad option, missing path, broken tsconfig
//      or config file); whatever could be read is still analysed and printed.
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeProgram, unknownConfigRules, type AnalysisResult } from "../core/analyzer";
import { loadConfig } from "../core/config";
import { applyEdits, combineFixes } from "../core/fixes/apply";
import { dropImportsLeftUnused } from "../core/fixes/unused-imports";
import { loadProject, type LoadedProject } from "../core/project";
import { encodesTo, invalidUtf8Description } from "../core/source-text";
import type { Finding, Problem, TextEdit } from "../core/types";
import { parseCheckArgs, type CheckArgs } from "./args";
import { formatJson } from "./format-json";
import { formatPretty } from "./format-pretty";
import { formatSarif } from "./format-sarif";
import { ProgressLine, type ProgressStream } from "./progress";
import { countBySeverity, displayPath, problemMessage, type CheckReport } from "./report";
import { knownRuleIds } from "../core/rule-ids";
import { toolVersion } from "./version";

export function checkUsage(): string {
  return `Usage: async-lens check [paths...] [options]

Checks TypeScript and JavaScript files for async hazards. A folder or file is
checked as the project of the nearest tsconfig.json at or above it that
includes it; other paths as loose files.

Options:
  -p, --project FILE     tsconfig.json to load (default: the nearest one)
  -f, --format FORMAT    pretty (default), json or sarif
      --fix              apply the preferred quick fixes and report what remains
      --max-warnings N   exit 1 when there are more than N warnings (default: no limit)
      --rule ID=SEVERITY off, hint, information, warning or error; repeatable
  -h, --help             show this help

Rules:
${wrap(knownRuleIds().join(", "), "  ", 78)}

Exit codes: 0 clean, 1 findings at or above the threshold or a file that could
not be analysed, 2 usage or configuration error.`;
}

function wrap(text: string, indent: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, indent + line].join("\n");
}

/** Rounds of fix → re-analyse; each round applies fixes the previous one skipped as overlapping. */
export const MAX_FIX_ROUNDS = 10;

export interface CheckIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: ProgressStream;
  stderr: ProgressStream;
}

const processIo = (): CheckIo => ({ cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });

export async function runCheck(argv: string[], io: CheckIo = processIo()): Promise<number> {
  // async-lens-ignore-next-line blocking-call -- a one-shot batch command: nothing else runs on this event loop while it reads and writes files
  return check(argv, io);
}

function check(argv: string[], io: CheckIo): number {
  const parsed = parseCheckArgs(argv);
  if (parsed.ok === "help") {
    io.stdout.write(`${checkUsage()}\n`);
    return 0;
  }
  if (!parsed.ok) {
    for (const e of parsed.errors) io.stderr.write(`async-lens check: ${e}\n`);
    io.stderr.write(`Run 'async-lens check --help' for usage.\n`);
    return 2;
  }
  const args = parsed.args;
  const progress = new ProgressLine(io.stderr);

  progress.status("Loading project…");
  let project = loadProject({ paths: args.paths, project: args.project, cwd: io.cwd });
  const loadedConfig = loadConfig(project.root);
  const configProblems = [...loadedConfig.problems, ...unknownConfigRules(loadedConfig.config, loadedConfig.file)];
  const analyse = (p: LoadedProject): AnalysisResult =>
    analyzeProgram(p.program, p.files, {
      config: loadedConfig.config,
      root: p.root,
      ruleOverrides: args.ruleOverrides,
      onFile: (done, total) => progress.file(done, total),
      onFileStart: (file, done, total) => progress.fileStarted(displayPath(io.cwd, file.fileName), file.text.length, done, total),
    });

  let result = analyse(project);
  let fixSummary: FixSummary | undefined;
  if (args.fix) {
    const fixed = fixUntilStable(project, result, args, io.cwd, analyse, progress);
    ({ project, result, summary: fixSummary } = fixed);
  }
  progress.clear();

  const problems = [...project.problems, ...configProblems, ...result.problems, ...(fixSummary?.problems ?? [])];
  if (result.files === 0 && problems.length === 0) {
    problems.push({ kind: "usage", message: `no TypeScript or JavaScript files to check in ${args.paths.length > 0 ? args.paths.join(", ") : "."}` });
  }
  const report: CheckReport = { cwd: io.cwd, files: result.files, findings: result.findings, problems };

  // Problems first, so the pretty summary that mentions them comes last on a terminal.
  for (const p of problems) io.stderr.write(`${describeProblem(p, io.cwd)}\n`);
  // "No problems found in 0 files" beside the errors that explain why would read as a clean result.
  const nothingAnalysed = result.files === 0 && problems.length > 0;
  if (!(nothingAnalysed && args.format === "pretty")) io.stdout.write(render(report, args, io));
  if (fixSummary && fixSummary.edits > 0) {
    io.stderr.write(`async-lens: applied ${fixSummary.edits} edit${fixSummary.edits === 1 ? "" : "s"} to ${fixSummary.files.size} file${fixSummary.files.size === 1 ? "" : "s"}.\n`);
  }
  return exitCode(report, args);
}

function render(report: CheckReport, args: CheckArgs, io: CheckIo): string {
  switch (args.format) {
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report, toolVersion());
    case "pretty":
      return formatPretty(report, { color: useColor(io) });
  }
}

/** NO_COLOR (https://no-color.org) wins; FORCE_COLOR forces colour into a pipe; otherwise only a TTY gets colour. */
export function useColor(io: Pick<CheckIo, "env" | "stdout">): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.stdout.isTTY === true;
}

export function exitCode(report: CheckReport, args: Pick<CheckArgs, "maxWarnings">): number {
  if (report.problems.some((p) => p.kind === "usage" || p.kind === "config")) return 2;
  const counts = countBySeverity(report.findings);
  if (counts.errors > 0) return 1;
  if (args.maxWarnings !== undefined && counts.warnings > args.maxWarnings) return 1;
  if (report.problems.some((p) => p.kind !== "notice")) return 1;
  return 0;
}

function describeProblem(problem: Problem, cwd: string): string {
  const label = problem.kind === "internal" ? "internal error" : problem.kind === "notice" ? "warning" : "error";
  if (problem.file === undefined) return `async-lens: ${label}: ${problem.message}`;
  const shown = displayPath(cwd, problem.file);
  const message = problemMessage(cwd, problem);
  // Most messages from the core name their file already; the others get it as a prefix.
  if (message.includes(shown) && !problem.range) return `async-lens: ${label}: ${message}`;
  const where = problem.range ? `${shown}:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : shown;
  return `async-lens: ${label}: ${where}: ${message}`;
}

interface FixSummary {
  edits: number;
  files: Set<string>;
  /** Files a round could not write: later rounds leave them alone, so each is reported once. */
  unwritable: Set<string>;
  problems: Problem[];
}

/**
 * Writes a fixed file, unless the text analysed is not exactly the bytes on
 * disk (not valid UTF-8, or changed since it was read): writing would then
 * change more than the edited ranges. Returns why it refused.
 */
function writeFixed(file: string, analysed: string, fixed: string): string | undefined {
  try {
    const onDisk = fs.readFileSync(file);
    if (!encodesTo(analysed, onDisk)) {
      const invalid = invalidUtf8Description(onDisk);
      return invalid !== undefined
        ? `cannot apply fixes to ${file}: it is ${invalid}, so it cannot be written back byte for byte; the file is left untouched`
        : `cannot apply fixes to ${file}: it changed while it was being checked; the file is left untouched`;
    }
    fs.writeFileSync(file, fixed);
    return undefined;
  } catch (error) {
    return `cannot write the fixes to ${file}: ${(error as Error).message}`;
  }
}

/**
 * Applies the preferred fixes, writes the files and re-analyses, until a round
 * changes nothing. Fixes are only applied to files that were analysed, never to
 * libraries or files outside the check.
 */
function fixUntilStable(
  initial: LoadedProject,
  initialResult: AnalysisResult,
  args: CheckArgs,
  cwd: string,
  analyse: (p: LoadedProject) => AnalysisResult,
  progress: ProgressLine,
): { project: LoadedProject; result: AnalysisResult; summary: FixSummary } {
  const summary: FixSummary = { edits: 0, files: new Set(), unwritable: new Set(), problems: [] };
  let project = initial;
  let result = initialResult;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const texts = new Map(project.files.map((sf) => [path.resolve(sf.fileName), sf.text]));
    const edits = combineFixes(result.findings.flatMap((f: Finding) => f.fixes.filter((x) => x.isPreferred))).filter((e) => texts.has(path.resolve(e.file)));
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(path.resolve(e.file), [...(byFile.get(path.resolve(e.file)) ?? []), e]);
    let changed = false;
    for (const [file, fileEdits] of byFile) {
      if (summary.unwritable.has(file)) continue;
      const before = texts.get(file)!;
      const applied = applyEdits(before, fileEdits);
      const text = dropImportsLeftUnused(file, before, applied.text);
      const { skipped } = applied;
      if (text === before) continue;
      const refusal = writeFixed(file, before, text);
      if (refusal !== undefined) {
        summary.unwritable.add(file);
        summary.problems.push({ kind: "read", file, message: refusal });
        continue;
      }
      changed = true;
      summary.edits += fileEdits.length - skipped.length;
      summary.files.add(file);
    }
    if (!changed) break;
    progress.status(`Re-analysing after fixes (round ${round + 1})…`);
    project = loadProject({ paths: args.paths, project: args.project, cwd });
    result = analyse(project);
  }
  return { project, result, summary };
}
