// start() and stop(): wires the recorder, hooks, heartbeat and collector
// worker for this thread. Any failure here leaves the host program running
// uninstrumented; the runtime is never the reason a program breaks.
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as os from "node:os";
import * as path from "node:path";
import { Worker, isMainThread, threadId } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import type { ProcessEvent } from "./protocol";
import { configFromEnv, type RuntimeConfig } from "./config";
import { RECORD_BYTES, RingWriter, createRingBuffer } from "./ring";
import { Recorder } from "./recorder";
import { CONTROL_BYTES, CTRL_DONE, CTRL_STOP, HEARTBEAT_BYTES } from "./shared-memory";
import { StringWriter, createStringArena } from "./strings";
import { recordPromises } from "./promise-tasks";
import { recordHttpRequests } from "./http-tasks";
import { recordResources } from "./resource-tasks";
import { TICK_MS, startHeartbeat } from "./heartbeat";
import { sampleQueues, watchStreamBackpressure } from "./queues";
import { installModuleHooks } from "./module-hooks";
import { setActiveRecorder } from "./runtime-state";
import { prepareTraceFile } from "./transport/trace-file";
import { log, setLogTarget } from "./log";
import type { CollectorData } from "./worker/collector-data";
import { HEARTBEAT_GLOBAL } from "./worker/watchdog";

/** Set in the environment by the first instrumented process, so its children know they are children. */
export const SESSION_ENV = "ASYNC_LENS_SESSION";
/**
 * A capture costs 7–10 µs on these machines, whatever is done with it: 2 per
 * 10 ms tick, saved up to 50, bound them to 0.2% of a core under load while a
 * quiet program's occasional burst still gets every site.
 */
const STACK_CAPTURES_PER_TICK = 2;
const STACK_CAPTURE_BURST = 50;
const EXIT_FLUSH_TIMEOUT_MS = 2000;

interface Running {
  rec: Recorder;
  worker: Worker;
  control: Int32Array;
  workerAlive: boolean;
  stopHooks: (() => void)[];
  onExit: () => void;
}

let running: Running | undefined;

function runtimeVersion(): string {
  try {
    return (require("../../../package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * A configuration error is the one thing the runtime writes to the program's
 * stderr: a setting the user asked for and did not get must not pass in
 * silence, whatever ASYNC_LENS_LOG says.
 */
function sayConfigError(message: string, logFile: string | undefined): void {
  try {
    fs.writeSync(2, `async-lens: ${message}\n`);
  } catch {
    // stderr closed: a log file still has it.
  }
  if (logFile !== "stderr") log(`configuration: ${message}`);
}

/** Starts recording this thread; returns false (and records nothing) if it could not. */
export function start(options: Partial<RuntimeConfig> = {}): boolean {
  if (running) return true;
  try {
    const fromEnv = configFromEnv(process.env, path.join(os.tmpdir(), `async-lens-${process.pid}.json`));
    const config: RuntimeConfig = { ...fromEnv.config, ...options };
    setLogTarget(config.logFile);
    const firstOfRun = process.env[SESSION_ENV] === undefined;
    // Said aloud, once a run: children inherit the same settings.
    if (firstOfRun) for (const error of fromEnv.errors) sayConfigError(error, config.logFile);
    if (firstOfRun) process.env[SESSION_ENV] = String(process.pid);
    if (config.traceFile && firstOfRun && isMainThread) {
      try {
        prepareTraceFile(config.traceFile);
      } catch (error) {
        sayConfigError(`ASYNC_LENS_TRACE ${config.traceFile}: ${error instanceof Error ? error.message : String(error)}; not recording to it`, config.logFile);
        config.traceFile = undefined;
      }
    }

    const ringBytes = Math.max(1, config.memoryMb / 8) * 1024 * 1024;
    const ring = createRingBuffer(Math.floor(ringBytes / RECORD_BYTES));
    const heartbeat = new SharedArrayBuffer(HEARTBEAT_BYTES);
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const strings = createStringArena((config.memoryMb * 1024 * 1024) / 64);
    const rec = new Recorder(new RingWriter(ring), new StringWriter(strings), new Float64Array(heartbeat), {
      sampleEvery: config.sampleEvery,
      sampledPerSecond: config.sampledPerSecond,
      sitesPerTick: STACK_CAPTURES_PER_TICK,
      siteBurst: STACK_CAPTURE_BURST,
      blockMs: config.blockThresholdMs,
      gapMs: config.blockThresholdMs + TICK_MS,
    });
    (globalThis as Record<symbol, unknown>)[Symbol.for(HEARTBEAT_GLOBAL)] = rec.heartbeat;

    const processEvent: ProcessEvent = {
      type: "process",
      t: 0,
      pid: process.pid,
      threadId,
      ppid: process.ppid,
      argv: process.argv,
      timeOrigin: performance.timeOrigin,
      runtimeVersion: runtimeVersion(),
      sampleEvery: config.sampleEvery,
      sampledPerSecond: config.sampledPerSecond,
      blockThresholdMs: config.blockThresholdMs,
    };
    const data: CollectorData = {
      asyncLensInternal: true,
      ring,
      heartbeat,
      control,
      strings,
      config,
      processEvent,
      listen: firstOfRun && isMainThread,
      // Interrupting under a user's debugger would disturb their session;
      // connectToMainThread reaches the process's main thread only.
      readStacks: isMainThread && inspector.url() === undefined,
      runtimeDir: __dirname,
    };
    const worker = new Worker(path.join(__dirname, "worker", "collector.js"), {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(16, Math.floor(config.memoryMb / 2)), maxYoungGenerationSizeMb: 4 },
      // The collector must not load the register hook (and itself) again.
      execArgv: [],
      env: {},
      stdout: true,
      stderr: true,
    });
    worker.unref();
    const state: Running = {
      rec,
      worker,
      control: new Int32Array(control),
      workerAlive: true,
      stopHooks: [],
      onExit: () => finish(state, true),
    };
    // async-lens-ignore-next-line blocking-call -- the runtime's own log is off unless ASYNC_LENS_LOG is set, and writes synchronously so that no line is lost when the program exits
    worker.on("error", (error) => log(`collector failed: ${String(error)}`));
    worker.on("exit", () => {
      state.workerAlive = false;
    });

    // Registering ESM loader hooks blocks while their thread starts: do it
    // before the heartbeat, so the runtime's own start is not reported as a block.
    installModuleHooks();
    watchStreamBackpressure();
    setActiveRecorder(rec);
    state.stopHooks.push(recordPromises(rec), recordHttpRequests(rec), startHeartbeat(rec, sampleQueues));
    if (config.resources) state.stopHooks.push(recordResources(rec));
    process.on("exit", state.onExit);
    running = state;
    return true;
  } catch (error) {
    log(`not started: ${error instanceof Error ? error.message : String(error)}`);
    setActiveRecorder(undefined);
    return false;
  }
}

function finish(state: Running, exiting: boolean): void {
  setActiveRecorder(undefined);
  for (const stopHook of state.stopHooks) stopHook();
  // A last beat ends a block still in progress (the program may exit straight out of one).
  state.rec.beat();
  state.rec.publishCounts();
  state.stopHooks = [];
  if (!state.workerAlive) return;
  Atomics.store(state.control, CTRL_STOP, 1);
  // In an exit handler nothing asynchronous runs any more: wait for the
  // collector's last write here, bounded, so the trace ends with the program.
  if (exiting) Atomics.wait(state.control, CTRL_DONE, 0, EXIT_FLUSH_TIMEOUT_MS);
}

/** Stops recording, writes the last events, and releases the collector. */
export async function stop(): Promise<void> {
  const state = running;
  if (!state) return;
  running = undefined;
  process.removeListener("exit", state.onExit);
  // async-lens-ignore-next-line blocking-call -- finish() waits with Atomics.wait only when exiting, never from here
  finish(state, false);
  if (state.workerAlive) {
    // The collector says when its last write is done; until then the worker
    // is referenced so the program does not exit under it.
    state.worker.ref();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, EXIT_FLUSH_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      state.worker.once("message", done);
      state.worker.once("exit", done);
    });
  }
  await state.worker.terminate();
}

export function isRunning(): boolean {
  return running !== undefined;
}
