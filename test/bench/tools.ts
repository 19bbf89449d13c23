// The three tools the benchmark compares, each run the way a user or CI runs
// it, and how to read its output: what counts as a crash, and how many
// findings per rule it printed.
import * as path from "node:path";
import type { PreparedTree } from "./cache";
import type { Measurement, ToolRun } from "./measure";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface Tool {
  id: "async-lens" | "tsc" | "eslint";
  label: string;
  command(tree: PreparedTree): ToolRun;
  /** Why this run counts as a crash, or undefined when the tool did its job (findings are fine). */
  crash(m: Measurement): string | undefined;
  /** Findings per rule id, from the tool's machine-readable output. */
  findingsByRule(m: Measurement): Map<string, number>;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function died(m: Measurement, allowedExitCodes: number[]): string | undefined {
  if (m.signal !== null) return `killed by ${m.signal}`;
  if (m.exitCode === null || !allowedExitCodes.includes(m.exitCode)) return `exit code ${m.exitCode}: ${lastLines(m.stderr || m.stdout)}`;
  if (m.peakRssMb === undefined) return "exited without reporting its peak RSS";
  return undefined;
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-6).join("\n");
}

export interface AsyncLensJson {
  version: number;
  files: number;
  diagnostics: { file: string; line: number; column: number; endLine: number; rule: string; severity: string; message: string; related: { file: string; line: number; column: number; message: string }[] }[];
}

export function parseAsyncLensJson(stdout: string): AsyncLensJson | undefined {
  try {
    const parsed = JSON.parse(stdout) as AsyncLensJson;
    return Array.isArray(parsed.diagnostics) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface EslintFileResult {
  filePath: string;
  messages: { ruleId: string | null; fatal?: boolean; message: string; line: number; column: number }[];
}

function parseEslintJson(stdout: string): EslintFileResult[] | undefined {
  try {
    const parsed = JSON.parse(stdout) as EslintFileResult[];
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export const ASYNC_LENS: Tool = {
  id: "async-lens",
  label: "async-lens check",
  command: (tree) => ({ script: path.join(REPO_ROOT, "out", "server", "src", "cli", "main.js"), args: ["check", ".", "--format", "json"], cwd: tree.dir }),
  crash(m) {
    // 1 means findings (or a file it could not vouch for); 2 a usage or configuration error.
    const reason = died(m, [0, 1]);
    if (reason !== undefined) return reason;
    return parseAsyncLensJson(m.stdout) === undefined ? `printed no JSON report: ${lastLines(m.stderr)}` : undefined;
  },
  findingsByRule: (m) => countBy(parseAsyncLensJson(m.stdout)?.diagnostics ?? [], (d) => d.rule),
};

export const TSC: Tool = {
  id: "tsc",
  label: "tsc --noEmit",
  command: (tree) => ({ script: path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), args: ["--noEmit", "-p", tree.tsconfig], cwd: tree.dir }),
  // 1 and 2 mean type errors were reported.
  crash: (m) => died(m, [0, 1, 2]),
  findingsByRule: (m) => countBy(m.stdout.match(/error TS\d+/g) ?? [], (e) => e.replace("error ", "")),
};

export const ESLINT: Tool = {
  id: "eslint",
  label: "eslint (typed)",
  command: (tree) => ({
    script: path.join(REPO_ROOT, "node_modules", "eslint", "bin", "eslint.js"),
    // Inline directives are ignored so every rule runs everywhere, as async-lens does.
    args: ["--config", path.join(REPO_ROOT, "test", "bench", "eslint.config.mjs"), "--no-inline-config", "--format", "json", ...tree.tree.lintTargets],
    cwd: tree.dir,
    env: { ASYNC_LENS_BENCH_TSCONFIG: tree.tsconfig, ASYNC_LENS_BENCH_SOURCE_TYPE: tree.tree.sourceType },
  }),
  crash(m) {
    // 1 means lint findings; 2 a configuration error or an exception.
    const reason = died(m, [0, 1]);
    if (reason !== undefined) return reason;
    const results = parseEslintJson(m.stdout);
    if (results === undefined) return `printed no JSON report: ${lastLines(m.stderr)}`;
    if (results.length === 0) return "linted no file";
    return undefined;
  },
  findingsByRule: (m) => countBy((parseEslintJson(m.stdout) ?? []).flatMap((r) => r.messages), (msg) => msg.ruleId ?? (msg.fatal ? "(parse error)" : "(other)")),
};

export const TOOLS: readonly Tool[] = [ASYNC_LENS, TSC, ESLINT];
