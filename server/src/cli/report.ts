// What one `async-lens check` run produced, in the shape every output format
// reads: findings sorted by place, paths shown relative to the working folder.
import * as path from "node:path";
import type { Finding, Problem } from "../core/types";

export interface CheckReport {
  /** Paths are shown relative to this folder. */
  cwd: string;
  /** How many files were analysed. */
  files: number;
  findings: Finding[];
  problems: Problem[];
}

/** A path relative to `cwd`, with forward slashes on every platform. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative === "" ? "." : relative).split(path.sep).join("/");
}

/** A problem's message with the path it names shown as `displayPath` shows it. */
export function problemMessage(cwd: string, problem: Problem): string {
  return problem.file === undefined ? problem.message : problem.message.split(problem.file).join(displayPath(cwd, problem.file));
}

export interface Counts {
  errors: number;
  warnings: number;
  /** information and hint findings */
  notes: number;
}

export function countBySeverity(findings: readonly Finding[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, notes: 0 };
  for (const f of findings) {
    if (f.severity === "error") counts.errors++;
    else if (f.severity === "warning") counts.warnings++;
    else counts.notes++;
  }
  return counts;
}
