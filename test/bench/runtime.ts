// Runtime overhead benchmark, run by `npm run bench`: plain against
// instrumented (default settings, recording to a trace file), interleaved
// so machine noise falls on both sides alike; medians of the rounds.
//   1. node:http hello world under autocannon: throughput and server CPU per request;
//   2. 1e6 awaits: CPU of the loop;
//   3. 1M tasks recorded with sampling off: the runtime's memory against its cap.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadTrace } from "../../runtime/src/trace-reader";
import type { CountsEvent } from "../../runtime/src/protocol";

// autocannon ships no types; this is the part of its API the benchmark uses.
const autocannon = require("autocannon") as (options: { url: string; connections: number; duration: number }) => Promise<{ requests: { total: number } }>;

const ROOT = path.resolve(__dirname, "../../..");
const PROGRAMS = path.join(ROOT, "test/runtime/programs");
const HTTP_ROUNDS = 10;
const HTTP_SECONDS = 2;
const AWAIT_ROUNDS = 9;
const STARTUP_ROUNDS = 5;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function env(instrumented: boolean, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("ASYNC_LENS_") && k !== "NODE_OPTIONS") clean[k] = v;
  if (!instrumented) return { ...clean, ...extra };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-bench-"));
  return { ...clean, ASYNC_LENS_TRACE: path.join(dir, "bench.alens"), ...extra };
}

function nodeArgs(instrumented: boolean, program: string, args: string[] = []): string[] {
  return [...(instrumented ? ["--import", "async-lens/register"] : []), path.join(PROGRAMS, program), ...args];
}

async function httpRound(instrumented: boolean): Promise<{ rps: number; cpuUsPerRequest: number }> {
  const child = spawn(process.execPath, nodeArgs(instrumented, "bench-http-server.js"), { cwd: ROOT, env: env(instrumented), stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", () => reject(new Error("server exited early")));
  });
  const cpu = async () => Number(await (await fetch(`http://127.0.0.1:${port}/cpu`)).text());
  // A short warm-up so both sides are measured with optimised code.
  await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 10, duration: 1 });
  const cpuBefore = await cpu();
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 10, duration: HTTP_SECONDS });
  const cpuAfter = await cpu();
  child.stdin.end();
  await new Promise((resolve) => child.on("close", resolve));
  const requests = result.requests.total;
  return { rps: requests / HTTP_SECONDS, cpuUsPerRequest: (cpuAfter - cpuBefore) / requests };
}

function runToEnd(instrumented: boolean, program: string, args: string[], extra: Record<string, string> = {}): Promise<{ stdout: string; env: NodeJS.ProcessEnv }> {
  const childEnv = env(instrumented, extra);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(instrumented, program, args), { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.on("close", (code) => (code === 0 ? resolve({ stdout, env: childEnv }) : reject(new Error(`${program} exited ${code}`))));
  });
}

/** Wall time of a process that does nothing: what starting the runtime costs once. */
async function startupRound(instrumented: boolean): Promise<number> {
  const started = performance.now();
  await runToEnd(instrumented, "bench-awaits.js", ["0"], { SETTLE_MS: "0" });
  return performance.now() - started;
}

async function awaitRound(instrumented: boolean): Promise<number> {
  const { stdout } = await runToEnd(instrumented, "bench-awaits.js", ["1000000"]);
  return (JSON.parse(stdout) as { cpuMs: number }).cpuMs;
}

/**
 * The median of the rounds' own ratios: each round's two runs sit next to
 * each other in time, so a ratio of the pair cancels the drift in machine
 * speed that a ratio of two medians keeps.
 */
const pairedRatio = (plain: number[], instrumented: number[]) => median(plain.map((p, i) => instrumented[i] / p));

function line(label: string, plain: number[], instrumented: number[], unit: string, target: string, meets: (ratio: number) => boolean): string {
  const ratio = pairedRatio(plain, instrumented);
  const p = median(plain);
  const i = median(instrumented);
  return (
    `${label.padEnd(28)} plain ${p.toFixed(1).padStart(9)} ${unit.padEnd(6)} instrumented ${i.toFixed(1).padStart(9)} ${unit.padEnd(6)} ` +
    `ratio ${ratio.toFixed(3)} (of medians ${(i / p).toFixed(3)})  target ${target}  ${meets(ratio) ? "ok" : "MISSED"}`
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const http = { plain: [] as { rps: number; cpuUsPerRequest: number }[], instrumented: [] as { rps: number; cpuUsPerRequest: number }[] };
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    // Alternate which side goes first, so drift in machine load cancels out.
    for (const instrumented of round % 2 === 0 ? [false, true] : [true, false]) {
      (instrumented ? http.instrumented : http.plain).push(await httpRound(instrumented));
    }
  }
  const awaits = { plain: [] as number[], instrumented: [] as number[] };
  for (let round = 0; round < AWAIT_ROUNDS; round++) {
    for (const instrumented of round % 2 === 0 ? [false, true] : [true, false]) {
      (instrumented ? awaits.instrumented : awaits.plain).push(await awaitRound(instrumented));
    }
  }

  const startup = { plain: [] as number[], instrumented: [] as number[] };
  for (let round = 0; round < STARTUP_ROUNDS; round++) {
    for (const instrumented of round % 2 === 0 ? [false, true] : [true, false]) {
      (instrumented ? startup.instrumented : startup.plain).push(await startupRound(instrumented));
    }
  }

  const memMb = 64;
  const { env: memEnv } = await runToEnd(true, "bench-awaits.js", ["1000000"], { ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "0", ASYNC_LENS_MEMORY_MB: String(memMb), ASYNC_LENS_KEYFRAME_MS: "250" });
  const trace = loadTrace(memEnv.ASYNC_LENS_TRACE!);
  const counts = trace.processes.flatMap((p) => p.events.filter((e): e is CountsEvent => e.type === "counts"));
  const peak = Math.max(...counts.map((c) => c.memoryBytes));
  const last = counts.at(-1)!;

  const lines = [
    `Async Lens runtime benchmark (node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")}; ${HTTP_ROUNDS} HTTP rounds of ${HTTP_SECONDS} s and ${AWAIT_ROUNDS} await rounds, interleaved; ratios are medians of the rounds' ratios)`,
    line("HTTP throughput", http.plain.map((r) => r.rps), http.instrumented.map((r) => r.rps), "req/s", "≥ 0.9×", (r) => r >= 0.9),
    line("HTTP server CPU per request", http.plain.map((r) => r.cpuUsPerRequest), http.instrumented.map((r) => r.cpuUsPerRequest), "µs", "≤ 1.15×", (r) => r <= 1.15),
    line("1e6 awaits CPU", awaits.plain, awaits.instrumented, "ms", "≤ 2.5×", (r) => r <= 2.5),
    `process start to exit, empty program: plain ${median(startup.plain).toFixed(0)} ms, instrumented ${median(startup.instrumented).toFixed(0)} ms (one-time: loader hooks and collector threads)`,
    `runtime memory through 1M recorded tasks (sampling off): peak ${(peak / 1048576).toFixed(1)} MB of a ${memMb} MB cap ${peak <= memMb * 1048576 ? "ok" : "MISSED"}; ` +
      `${last.rootsSeen} roots, events dropped: ring ${last.dropped.ring}, file ${last.dropped.file}`,
    `per-round HTTP req/s plain [${http.plain.map((r) => r.rps.toFixed(0)).join(", ")}] instrumented [${http.instrumented.map((r) => r.rps.toFixed(0)).join(", ")}]`,
    `per-round HTTP CPU µs/request plain [${http.plain.map((r) => r.cpuUsPerRequest.toFixed(1)).join(", ")}] instrumented [${http.instrumented.map((r) => r.cpuUsPerRequest.toFixed(1)).join(", ")}]`,
    `per-round awaits CPU ms plain [${awaits.plain.map((n) => n.toFixed(0)).join(", ")}] instrumented [${awaits.instrumented.map((n) => n.toFixed(0)).join(", ")}]`,
    `total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`runtime benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
