// Runs small programs in child processes under the runtime and reads back
// what they recorded. Nothing here sleeps: every wait is for an event.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TraceEvent } from "../../runtime/src/protocol";
import { loadTrace, type Trace } from "../../runtime/src/trace-reader";
import { decodeTraceFile } from "../../runtime/src/protocol";

// autocannon ships no types; this is the part of its API the tests and the benchmark use.
export const autocannon = require("autocannon") as (options: { url: string; connections: number; duration: number }) => Promise<{ duration: number; requests: { total: number } }>;

export const ROOT = path.resolve(__dirname, "../../..");
export const PROGRAMS = path.join(ROOT, "test/runtime/programs");
export const CLI = path.join(ROOT, "out/server/src/cli/main.js");
/**
 * Settings for a test that expects every root task in its trace: 1 in 1, and
 * no cap a second, which would otherwise refuse roots past 20 in any 100 ms
 * (a program's start-up promises can use those up before its first request).
 */
export const EVERY_ROOT = { ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "0" };

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

const tempDirs: string[] = [];

/** A path in a fresh temp folder; every such folder is removed when the test process exits. */
export function tempFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-test-"));
  if (tempDirs.length === 0) process.once("exit", () => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  tempDirs.push(dir);
  return path.join(dir, name);
}

/** Environment without any Async Lens settings leaking in from the test runner. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("ASYNC_LENS_") && k !== "NODE_OPTIONS") env[k] = v;
  return { ...env, ...extra };
}

export type Child = ChildProcessWithoutNullStreams & { stdoutSoFar(): string; waitForStdout(pattern: RegExp): Promise<RegExpExecArray> };

/**
 * Runs node with `nodeArgs`. With `during`, stdin stays open while it runs
 * against the live child and ends when it settles (the test programs exit on
 * end of stdin); without, stdin ends at once.
 */
export function run(nodeArgs: string[], env: NodeJS.ProcessEnv, during?: (child: Child) => Promise<void>, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd, env, stdio: ["pipe", "pipe", "pipe"] }) as Child;
    let stdout = "";
    let stderr = "";
    const watchers: (() => boolean)[] = [];
    child.stdoutSoFar = () => stdout;
    child.waitForStdout = (pattern) =>
      new Promise((found, fail) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) found(match);
          return match !== null;
        };
        if (check()) return;
        watchers.push(check);
        child.on("close", () => fail(new Error(`exited without printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)));
      });
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      for (let i = watchers.length - 1; i >= 0; i--) if (watchers[i]()) watchers.splice(i, 1);
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.stdin.on("error", () => undefined);
    let failure: unknown;
    if (during) {
      during(child)
        .catch((error: unknown) => (failure = error))
        .finally(() => child.stdin.end());
    } else child.stdin.end();
    child.on("error", reject);
    child.on("close", (code, signal) => (failure ? reject(failure) : resolve({ code, signal, stdout, stderr })));
  });
}

/** Runs a program from test/runtime/programs with `--import async-lens/register`, recording to a fresh trace file. */
export async function runTraced(
  program: string,
  settings: Record<string, string> = {},
  args: string[] = [],
  during?: (child: Child, traceFile: string) => Promise<void>,
): Promise<TracedRun> {
  const traceFile = tempFile("trace.alens");
  const logFile = `${traceFile}.log`;
  const result = await run(
    ["--import", "async-lens/register", path.join(PROGRAMS, program), ...args],
    cleanEnv({ ASYNC_LENS_TRACE: traceFile, ASYNC_LENS_LOG: logFile, ...settings }),
    during && ((child) => during(child, traceFile)),
  );
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

/** Runs a server program traced: once it prints "listening PORT", `exercise` runs against the port, then the server is told to close. */
export function serveTraced(program: string, exercise: (port: number, traceFile: string) => Promise<void>, settings: Record<string, string> = {}): Promise<TracedRun> {
  return runTraced(program, settings, [], async (child, traceFile) => {
    const [, port] = await child.waitForStdout(/listening (\d+)/);
    await exercise(Number(port), traceFile);
  });
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
