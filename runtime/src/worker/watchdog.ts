// Detects blocks while they happen. The main thread stamps a heartbeat from a
// timer; when the stamp goes stale past the threshold, this worker asks the
// main thread's inspector to evaluate a stack capture. The inspector runs it
// as an interrupt on top of whatever the thread is stuck in, so the stack is
// the stuck one. Runtime.evaluate needs no Debugger domain: enabling the
// debugger would cost a pass over every script and, while enabled, turns off
// V8's fast paths for await (measured here: 10× slower promise code).
import * as inspector from "node:inspector";
import { performance } from "node:perf_hooks";
import type { BlockEvent, StackFrame } from "../protocol";
import { HB_GAP_END, HB_GAP_START, HB_TASK, HB_TICK } from "../recorder";
import { siteAt, toPath } from "./source-sites";
import { log } from "../log";

export interface WatchdogOptions {
  heartbeat: Float64Array;
  thresholdMs: number;
  /** The main thread's performance.timeOrigin, to express times on its clock. */
  mainTimeOrigin: number;
  /** False when a debugger is already attached to the program: never interrupt under it. */
  readStacks: boolean;
  runtimeDir: string;
}

/** Where the main thread exposes its heartbeat to the evaluated capture. */
export const HEARTBEAT_GLOBAL = "async-lens.heartbeat";

// Runs on the stuck thread. A program's own Error.prepareStackTrace is set
// aside so no program code runs inside the interrupt; the tick says whether
// the thread was still in the stall when the capture ran.
const CAPTURE = `(() => {
  const prepare = Error.prepareStackTrace, limit = Error.stackTraceLimit;
  Error.prepareStackTrace = undefined;
  Error.stackTraceLimit = 32;
  try {
    const hb = globalThis[Symbol.for(${JSON.stringify(HEARTBEAT_GLOBAL)})];
    return JSON.stringify({ tick: hb ? hb[${HB_TICK}] : 0, stack: new Error().stack });
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
})()`;

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (!m || m[2] === "<anonymous>") continue;
    frames.push({ fn: m[1] ?? "", file: toPath(m[2]), line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

const ORIGIN = performance.timeOrigin;
/** Epoch milliseconds, the heartbeat's clock (performance.timeOrigin is a getter that costs more than the read). */
export const epochNow = () => ORIGIN + performance.now();

/** How long a finished block waits for its stack capture to come back. */
const CAPTURE_GRACE_MS = 1000;

export class Watchdog {
  private session?: inspector.Session;
  private stalledSince = 0;
  private stack: StackFrame[] = [];
  private task = 0;
  private capturing = false;
  private ended?: { start: number; dur: number; at: number };
  /** End tick of the last gap reported, live or from the main thread's record. */
  private reportedGap = 0;

  constructor(private readonly o: WatchdogOptions) {}

  /** Called on the worker's timer; returns a block once it has ended and its stack is in. */
  check(): BlockEvent | undefined {
    if (this.ended) {
      if (this.capturing && epochNow() - this.ended.at < CAPTURE_GRACE_MS) return undefined;
      const { start, dur } = this.ended;
      this.ended = undefined;
      return this.block(start, dur);
    }
    const heartbeat = this.o.heartbeat;
    const tick = heartbeat[HB_TICK];
    if (tick === 0) return undefined;
    if (this.stalledSince !== 0) {
      if (tick === this.stalledSince) return undefined;
      // The stall is over. Whether it was a block, and how long, is the main
      // thread's own record of the gap between its beats: the ticks seen here
      // are as far apart as this thread's checks, which run late whenever the
      // machine is busy.
      const start = this.stalledSince;
      this.stalledSince = 0;
      if (heartbeat[HB_GAP_START] === start) {
        this.reportedGap = heartbeat[HB_GAP_END];
        this.ended = { start, dur: heartbeat[HB_GAP_END] - start, at: epochNow() };
        return this.check();
      }
    }
    const gapStart = heartbeat[HB_GAP_START];
    if (gapStart !== 0 && gapStart >= this.reportedGap) {
      // A gap the main thread saw while this watchdog was not watching.
      this.reportedGap = heartbeat[HB_GAP_END];
      this.task = 0;
      this.stack = [];
      return this.block(gapStart, heartbeat[HB_GAP_END] - gapStart);
    }
    if (epochNow() - tick > this.o.thresholdMs) {
      this.stalledSince = tick;
      this.stack = [];
      this.task = heartbeat[HB_TASK];
      this.capture(tick);
    }
    return undefined;
  }

  /**
   * How soon the main thread, if it is stuck now, passes the threshold: the
   * next check should come just after, to read its stack while it is still
   * stuck. Infinity when there is nothing to watch for.
   */
  msUntilStall(): number {
    const tick = this.o.heartbeat[HB_TICK];
    if (tick === 0 || this.stalledSince !== 0) return Infinity;
    return this.o.thresholdMs - (epochNow() - tick);
  }

  /** True while a finished block waits for its stack. */
  get waitingForStack(): boolean {
    return this.ended !== undefined && this.capturing;
  }

  /** The finished block, whether or not its stack came back: for the last moments of a program. */
  flush(): BlockEvent | undefined {
    if (!this.ended) return undefined;
    const { start, dur } = this.ended;
    this.ended = undefined;
    return this.block(start, dur);
  }

  private block(start: number, dur: number): BlockEvent {
    const stack = this.stack;
    this.stack = [];
    const user = stack.find((f) => f.file !== "" && !f.file.startsWith("node:") && !f.file.startsWith(this.o.runtimeDir));
    const event: BlockEvent = { type: "block", t: start - this.o.mainTimeOrigin, dur, task: this.task, stack };
    if (user) event.site = siteAt(user.file, user.line, user.column, user.fn);
    return event;
  }

  private capture(stalledTick: number): void {
    if (!this.o.readStacks || this.capturing) return;
    try {
      this.capturing = true;
      this.connect().post("Runtime.evaluate", { expression: CAPTURE, silent: true, returnByValue: true }, (error, result) => {
        this.capturing = false;
        if (error || typeof result?.result?.value !== "string") return;
        const { tick, stack } = JSON.parse(result.result.value) as { tick: number; stack: string };
        // If the heartbeat moved first, the capture ran after the stall, on
        // unrelated code; a stall too short to be a block drops its capture.
        if (tick === stalledTick && (this.stalledSince === stalledTick || this.ended?.start === stalledTick)) this.stack = parseStack(stack);
      });
    } catch (error) {
      this.capturing = false;
      log(`watchdog: cannot read the main thread's stack: ${String(error)}`);
      this.o.readStacks = false;
    }
  }

  private connect(): inspector.Session {
    if (!this.session) {
      this.session = new inspector.Session();
      this.session.connectToMainThread();
    }
    return this.session;
  }

  close(): void {
    try {
      this.session?.disconnect();
    } catch {
      // The main thread may already be gone.
    }
  }
}
