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
import { applyEdits, combineFixes } from "../core/edits";
import { loadProject, type LoadedProject } from "../core/project";
import type { Finding, Problem, TextEdit } from "../core/types";
import { parseCheckArgs, type CheckArgs } from "./args";
import { formatJson } from "./format-json";
import { formatPretty } from "./format-pretty";
import { formatSarif } from "./format-sarif";
import { ProgressLine, type ProgressStream } from "./progress";
import { countBySeverity, displayPath, type CheckReport } from "./report";
import { toolVersion } from "./version";

export const CHECK_USAGE = `Usage: async-lens check [paths...] [options]

Checks TypeScript and JavaScript files for async hazards. A folder with a
tsconfig.json is checked as that project; other paths as loose files.

Options:
  -p, --project FILE     tsconfig.json to load (default: the one in the folder checked)
  -f, --format FORMAT    pretty (default), json or sarif
      --fix              apply the preferred quick fixes and report what remains
      --max-warnings N   exit 1 when there are more than N warnings (default: no limit)
      --rule ID=SEVERITY off, hint, information, warning or error; repeatable
  -h, --help             show this help

Exit codes: 0 clean, 1 findings at or above the threshold or a file that could
not be analysed, 2 usage or configuration error.`;

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
    io.stdout.write(`${CHECK_USAGE}\n`);
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
  io.stdout.write(render(report, args, io));
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
  if (report.problems.length > 0) return 1;
  return 0;
}

function describeProblem(problem: Problem, cwd: string): string {
  const label = problem.kind === "internal" ? "internal error" : "error";
  if (problem.file === undefined) return `async-lens: ${label}: ${problem.message}`;
  const shown = displayPath(cwd, problem.file);
  const message = problem.message.split(problem.file).join(shown);
  // Most messages from the core name their file already; the others get it as a prefix.
  if (message.includes(shown) && !problem.range) return `async-lens: ${label}: ${message}`;
  const where = problem.range ? `${shown}:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : shown;
  return `async-lens: ${label}: ${where}: ${message}`;
}

interface FixSummary {
  edits: number;
  files: Set<string>;
  problems: Problem[];
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
  const summary: FixSummary = { edits: 0, files: new Set(), problems: [] };
  let project = initial;
  let result = initialResult;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const texts = new Map(project.files.map((sf) => [path.resolve(sf.fileName), sf.text]));
    const edits = combineFixes(result.findings.flatMap((f: Finding) => f.fixes.filter((x) => x.isPreferred))).filter((e) => texts.has(path.resolve(e.file)));
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(path.resolve(e.file), [...(byFile.get(path.resolve(e.file)) ?? []), e]);
    let changed = false;
    for (const [file, fileEdits] of byFile) {
      const before = texts.get(file)!;
      const { text, skipped } = applyEdits(before, fileEdits);
      if (text === before) continue;
      try {
        fs.writeFileSync(file, text);
      } catch (error) {
        summary.problems.push({ kind: "read", file, message: `cannot write the fixes to ${file}: ${(error as Error).message}` });
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
