// Runs one tool as a child Node process and measures its wall time (spawn to
// exit, as a user waits for it), CPU time and peak RSS (reported by
// usage-probe). CPU time is steadier than wall time on a busy machine.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Measurement {
  wallSeconds: number;
  /** Peak resident set size in MB; undefined when the process died before reporting it. */
  peakRssMb: number | undefined;
  /** User plus system CPU time; undefined like peakRssMb. */
  cpuSeconds: number | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ToolRun {
  /** The Node script to run and its arguments. */
  script: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Extra Node flags (heap size for the big tree). */
  nodeFlags?: string[];
}

const PROBE = path.join(__dirname, "usage-probe.js");

export function measure(run: ToolRun): Promise<Measurement> {
  const usageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-bench-")), "usage.json");
  const args = [...(run.nodeFlags ?? []), "-r", PROBE, run.script, ...run.args];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: run.cwd,
    env: { ...process.env, ...run.env, ASYNC_LENS_BENCH_USAGE_FILE: usageFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const usage = readUsage(usageFile);
      fs.rmSync(path.dirname(usageFile), { recursive: true, force: true });
      resolve({ wallSeconds, ...usage, exitCode, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
}

function readUsage(file: string): Pick<Measurement, "peakRssMb" | "cpuSeconds"> {
  try {
    const usage = JSON.parse(fs.readFileSync(file, "utf8")) as { maxRssKb: number; cpuMicros: number };
    return { peakRssMb: usage.maxRssKb / 1024, cpuSeconds: usage.cpuMicros / 1e6 };
  } catch {
    return { peakRssMb: undefined, cpuSeconds: undefined };
  }
}

/** The q-quantile, interpolated between the nearest ranks. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  return sorted[below] + (sorted[Math.ceil(at)] - sorted[below]) * (at - below);
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Runs a benchmark's main: its result is the exit code, and a throw is printed with the benchmark's name. */
export function runBench(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === "number") process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
