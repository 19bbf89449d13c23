// Runtime overhead benchmark, run by `npm run bench`: plain against
// instrumented (default settings, recording to a trace file), interleaved
// so machine noise falls on both sides alike; each verdict is the median of
// the ratios of runs taken next to each other.
//   1. node:http hello world under autocannon: throughput and server CPU per
//      request, from short bursts taken in turn by a plain and an instrumented
//      server, client and servers pinned to CPUs of their own;
//   2. 1e6 awaits: CPU of the loop;
//   3. 1M tasks recorded with sampling off: the runtime's memory against its cap.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadTrace } from "../../runtime/src/trace-reader";
import type { CountsEvent } from "../../runtime/src/protocol";
import { median, quantile, runBench } from "./measure";
import { autocannon } from "../runtime/helpers";


const ROOT = path.resolve(__dirname, "../../..");
const PROGRAMS = path.join(ROOT, "test/runtime/programs");
// The machine's speed swings by ±20% within seconds, and one instrumented
// server process can cost a steady 10-20% more per request than another of
// the same program (four side by side, 14 bursts each): bursts spread over many
// server processes give the medians something to work with. (autocannon runs
// at least a second, whatever the duration asked.)
const HTTP_SERVER_PAIRS = 8;
const BURSTS_PER_SERVER = 6;
const HTTP_BURST_SECONDS = 1;
/**
 * A server just resumed from SIGSTOP first catches up: the instrumented one
 * sees a stall of a second or more and records it as a block, as it should.
 * That is the benchmark's doing, not the program's, so it is left out of the
 * burst that follows.
 */
const RESUME_SETTLE_MS = 250;
const AWAIT_ROUNDS = 9;
const STARTUP_ROUNDS = 5;

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

/** Runs plain and instrumented `rounds` times each, alternating which goes first, so drift in machine load cancels out. */
async function interleaved<T>(rounds: number, run: (instrumented: boolean) => Promise<T>): Promise<{ plain: T[]; instrumented: T[] }> {
  const results = { plain: [] as T[], instrumented: [] as T[] };
  for (let round = 0; round < rounds; round++) {
    for (const instrumented of round % 2 === 0 ? [false, true] : [true, false]) (instrumented ? results.instrumented : results.plain).push(await run(instrumented));
  }
  return results;
}

/**
 * Load generator and servers on CPUs of their own, as one would run wrk
 * against a server. Left to the scheduler, a server's threads and autocannon
 * share both CPUs in whatever way it chooses, and the instrumented server's
 * collector takes its time from the client more often than from its own main
 * thread. Pinned, every server thread competes with its own main thread,
 * which is the cost a program pays.
 */
interface Placement {
  clientCpu: number;
  serverCpu: number;
}

/** Sets the CPUs of every thread of a running process; false where taskset is missing or refuses. */
function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync("taskset", ["--all-tasks", "--cpu-list", "--pid", cpus, String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The CPUs this process may run on, from the kernel's own list ("0-3,8"); empty where there is none (not Linux). */
function allowedCpus(): number[] {
  try {
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1] ?? "";
    return list.split(",").flatMap((range) => {
      const [from, to = from] = range.split("-").map(Number);
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
  } catch {
    return [];
  }
}

/** Pins this process (autocannon runs in it) to its first CPU, leaving its last for the servers; undefined on one CPU or without taskset. */
function placeClient(): { placement: Placement; restore: () => void } | undefined {
  const cpus = allowedCpus();
  if (cpus.length < 2 || !pin(process.pid, String(cpus[0]))) return undefined;
  return { placement: { clientCpu: cpus[0], serverCpu: cpus.at(-1)! }, restore: () => pin(process.pid, cpus.join(",")) };
}

interface Server {
  port: number;
  child: ChildProcess;
}

async function startServer(instrumented: boolean, placement: Placement | undefined): Promise<Server> {
  const command = placement ? ["taskset", "--cpu-list", String(placement.serverCpu), process.execPath] : [process.execPath];
  const child = spawn(command[0], [...command.slice(1), ...nodeArgs(instrumented, "bench-http-server.js")], { cwd: ROOT, env: env(instrumented), stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", () => reject(new Error("server exited early")));
  });
  return { port, child };
}

async function stopServer(server: Server): Promise<void> {
  server.child.stdin!.end();
  await new Promise((resolve) => server.child.on("close", resolve));
}

interface Burst {
  rps: number;
  cpuUsPerRequest: number;
}

async function burst(server: Server, seconds: number): Promise<Burst> {
  await new Promise((resolve) => setTimeout(resolve, RESUME_SETTLE_MS));
  const cpu = async () => Number(await (await fetch(`http://127.0.0.1:${server.port}/cpu`)).text());
  const cpuBefore = await cpu();
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}/`, connections: 10, duration: seconds });
  const cpuAfter = await cpu();
  return { rps: result.requests.total / result.duration, cpuUsPerRequest: (cpuAfter - cpuBefore) / result.requests.total };
}

/**
 * Both servers run side by side and take short bursts of load in turn, so
 * each pair of bursts meets the same machine (its speed here drifts within
 * seconds). The server not under load is stopped (SIGSTOP) meanwhile, so
 * neither side's background threads take from the other's burst.
 */
async function httpComparison(placement: Placement | undefined): Promise<{ plain: Burst[]; instrumented: Burst[] }> {
  const results = { plain: [] as Burst[], instrumented: [] as Burst[] };
  for (let round = 0; round < HTTP_SERVER_PAIRS; round++) {
    const plain = await startServer(false, placement);
    const instrumented = await startServer(true, placement);
    // A warm-up so both sides are measured with optimised code.
    for (const server of [plain, instrumented]) await autocannon({ url: `http://127.0.0.1:${server.port}/`, connections: 10, duration: 1 });
    const bursts = await interleaved(BURSTS_PER_SERVER, async (isInstrumented) => {
      const [loaded, idle] = isInstrumented ? [instrumented, plain] : [plain, instrumented];
      idle.child.kill("SIGSTOP");
      try {
        return await burst(loaded, HTTP_BURST_SECONDS);
      } finally {
        idle.child.kill("SIGCONT");
      }
    });
    results.plain.push(...bursts.plain);
    results.instrumented.push(...bursts.instrumented);
    await Promise.all([stopServer(plain), stopServer(instrumented)]);
  }
  return results;
}

function runToEnd(instrumented: boolean, program: string, args: string[], extra: Record<string, string> = {}): Promise<{ stdout: string; env: NodeJS.ProcessEnv }> {
  const childEnv = env(instrumented, extra);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(instrumented, program, args), { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.on("close", (code, signal) => (code === 0 ? resolve({ stdout, env: childEnv }) : reject(new Error(`${instrumented ? "instrumented" : "plain"} ${program} ${args.join(" ")} ended with ${signal ?? `exit code ${code}`}`))));
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
 * Each round's own ratio: its two runs sit next to each other in time, so a
 * ratio of the pair cancels the drift in machine speed that a ratio of two
 * medians keeps. The verdict is their median.
 */
const pairRatios = (plain: number[], instrumented: number[]) => plain.map((p, i) => instrumented[i] / p);

/** The verdict line, with the pairs' interquartile range: how far one pair can be from another on this machine. */
function line(label: string, plain: number[], instrumented: number[], unit: string, target: string, meets: (ratio: number) => boolean): string {
  const ratios = pairRatios(plain, instrumented);
  const ratio = median(ratios);
  const p = median(plain);
  const i = median(instrumented);
  return (
    `${label.padEnd(28)} plain ${p.toFixed(1).padStart(9)} ${unit.padEnd(6)} instrumented ${i.toFixed(1).padStart(9)} ${unit.padEnd(6)} ` +
    `ratio ${ratio.toFixed(3)} (pairs' IQR ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}; of medians ${(i / p).toFixed(3)})  target ${target}  ${meets(ratio) ? "ok" : "MISSED"}`
  );
}

/** Median share of a core the server used through its bursts. */
const busy = (bursts: Burst[]) => median(bursts.map((b) => (b.rps * b.cpuUsPerRequest) / 1e6));
/** Below this share of a core, something other than the server set the pace. */
const SATURATED = 0.9;

async function main(): Promise<void> {
  const started = Date.now();
  const placed = placeClient();
  const placement = placed?.placement;
  const http = await httpComparison(placement);
  placed?.restore();
  const awaits = await interleaved(AWAIT_ROUNDS, awaitRound);
  const startup = await interleaved(STARTUP_ROUNDS, startupRound);

  const memMb = 64;
  const { env: memEnv } = await runToEnd(true, "bench-awaits.js", ["1000000"], { ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "0", ASYNC_LENS_MEMORY_MB: String(memMb), ASYNC_LENS_KEYFRAME_MS: "250" });
  const trace = loadTrace(memEnv.ASYNC_LENS_TRACE!);
  const counts = trace.processes.flatMap((p) => p.events.filter((e): e is CountsEvent => e.type === "counts"));
  const peak = Math.max(...counts.map((c) => c.memoryBytes));
  const last = counts.at(-1)!;

  const plainBusy = busy(http.plain);
  const lines = [
    `Async Lens runtime benchmark (node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")}; ${http.plain.length} HTTP bursts of ${HTTP_BURST_SECONDS} s a side and ${AWAIT_ROUNDS} await rounds, interleaved; each ratio is the median of adjacent pairs' ratios)`,
    placement ? `HTTP: autocannon pinned to CPU ${placement.clientCpu}, servers (all their threads) to CPU ${placement.serverCpu}` : "HTTP: client and servers not pinned (one CPU, or no taskset): the scheduler shares the CPUs between them",
    line("HTTP throughput", http.plain.map((r) => r.rps), http.instrumented.map((r) => r.rps), "req/s", "≥ 0.9×", (r) => r >= 0.9),
    line("HTTP server CPU per request", http.plain.map((r) => r.cpuUsPerRequest), http.instrumented.map((r) => r.cpuUsPerRequest), "µs", "≤ 1.15×", (r) => r <= 1.15),
    line("1e6 awaits CPU", awaits.plain, awaits.instrumented, "ms", "≤ 2.5×", (r) => r <= 2.5),
    `process start to exit, empty program: plain ${median(startup.plain).toFixed(0)} ms, instrumented ${median(startup.instrumented).toFixed(0)} ms (one-time: loader hooks and collector threads)`,
    `runtime memory through 1M recorded tasks (sampling off): peak ${(peak / 1048576).toFixed(1)} MB of a ${memMb} MB cap ${peak <= memMb * 1048576 ? "ok" : "MISSED"}; ` +
      `${last.rootsSeen} roots, events dropped: ring ${last.dropped.ring}, file ${last.dropped.file}`,
    `HTTP server CPU use during bursts: plain ${(plainBusy * 100).toFixed(0)}%, instrumented ${(busy(http.instrumented) * 100).toFixed(0)}% of a core` +
      (plainBusy < SATURATED ? " (short of a full core: the client or other load on its CPU held the server back, so throughput shows less of the runtime's cost than CPU per request)" : ""),
    `per-burst HTTP req/s plain [${http.plain.map((r) => r.rps.toFixed(0)).join(", ")}] instrumented [${http.instrumented.map((r) => r.rps.toFixed(0)).join(", ")}]`,
    `per-burst HTTP CPU µs/request plain [${http.plain.map((r) => r.cpuUsPerRequest.toFixed(1)).join(", ")}] instrumented [${http.instrumented.map((r) => r.cpuUsPerRequest.toFixed(1)).join(", ")}]`,
    `per-round awaits CPU ms plain [${awaits.plain.map((n) => n.toFixed(0)).join(", ")}] instrumented [${awaits.instrumented.map((n) => n.toFixed(0)).join(", ")}]`,
    `total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

runBench("runtime benchmark", main);
