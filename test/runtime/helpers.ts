// Runs small programs in child processes under the runtime and reads back
// what they recorded. Nothing here sleeps: every wait is for an event.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TraceEvent } from "../../runtime/src/protocol";
import { loadTrace, type Trace } from "../../runtime/src/trace-reader";
import { decodeTraceFile } from "../../runtime/src/protocol";

export const ROOT = path.resolve(__dirname, "../../..");
export const PROGRAMS = path.join(ROOT, "test/runtime/programs");

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TracedRun extends Run {
  trace: Trace;
  traceFile: string;
  log: string;
}

export function tempFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-test-"));
  return path.join(dir, name);
}

/** Environment without any Async Lens settings leaking in from the test runner. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("ASYNC_LENS_") && k !== "NODE_OPTIONS") env[k] = v;
  return { ...env, ...extra };
}

export function run(nodeArgs: string[], env: NodeJS.ProcessEnv, onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      onStdout?.(stdout, child);
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    if (!onStdout) child.stdin.end();
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs a program from test/runtime/programs with `--import async-lens/register`, recording to a fresh trace file. */
export async function runTraced(
  program: string,
  settings: Record<string, string> = {},
  args: string[] = [],
  onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void,
  traceFile = tempFile("trace.alens"),
): Promise<TracedRun> {
  const logFile = `${traceFile}.log`;
  const result = await run(["--import", "async-lens/register", path.join(PROGRAMS, program), ...args], cleanEnv({ ASYNC_LENS_TRACE: traceFile, ASYNC_LENS_LOG: logFile, ...settings }), onStdout);
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
  return { ...result, trace: loadTrace(traceFile), traceFile, log };
}

export function runPlain(program: string, args: string[] = []): Promise<Run> {
  return run([path.join(PROGRAMS, program), ...args], cleanEnv());
}

export function events<T extends TraceEvent["type"]>(trace: Trace, type: T): Extract<TraceEvent, { type: T }>[] {
  return trace.processes.flatMap((p) => p.events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type));
}

/** 1-based line of the first line of `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const lines = fs.readFileSync(path.join(PROGRAMS, file), "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`${marker} not in ${file}`);
  return index + 1;
}

/**
 * Runs a server program traced: once it prints "listening PORT", `exercise`
 * runs against the port, then the server is told to close (stdin ends).
 */
export async function serveTraced(program: string, exercise: (port: number, traceFile: string) => Promise<void>, settings: Record<string, string> = {}): Promise<TracedRun> {
  let started = false;
  let failure: unknown;
  const traceFile = tempFile("trace.alens");
  const result = await runTraced(program, settings, [], (stdout, child) => {
    const match = /listening (\d+)/.exec(stdout);
    if (!match || started) return;
    started = true;
    exercise(Number(match[1]), traceFile)
      .catch((error: unknown) => (failure = error))
      .finally(() => child.stdin?.end());
  }, traceFile);
  if (failure) throw failure;
  return result;
}

export async function get(port: number, urlPath: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  return response.text();
}

/** Resolves with the first event matching `predicate` once the running program has written it to `traceFile`. */
export function waitForEvent<T extends TraceEvent>(traceFile: string, predicate: (e: TraceEvent) => e is T, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const find = () => {
      try {
        for (const m of decodeTraceFile(fs.readFileSync(traceFile)).messages) for (const e of m.events) if (predicate(e)) return e;
      } catch {
        // Not written yet.
      }
      return undefined;
    };
    const watcher = fs.watch(path.dirname(traceFile), () => {
      const found = find();
      if (found) done(() => resolve(found));
    });
    const timer = setTimeout(() => done(() => reject(new Error(`no matching event in ${traceFile} within ${timeoutMs} ms`))), timeoutMs);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      watcher.close();
      settle();
    };
    const found = find();
    if (found) done(() => resolve(found));
  });
}
