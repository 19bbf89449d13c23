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
import { HB_TASK, HB_TICK } from "../shared-memory";
import { siteAt, toPath } from "./source-sites";
import { log } from "../log";

/**
 * A stretch the main thread recorded itself: a gap between its heartbeat
 * ticks past the threshold, or one callback (a task's run, a request's
 * handler) that ran past it. Times are on the main thread's clock.
 */
export interface Stretch {
  type: "stretch";
  gap: boolean;
  start: number;
  end: number;
  /** The sampled task that ran it (for a gap, the one running when it ended), 0 if none. */
  task: number;
  request?: string;
  route?: string;
}

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
    return JSON.stringify({ tick: hb ? hb[${HB_TICK}] : 0, at: performance.now(), stack: new Error().stack });
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

/** How long a finished stretch waits for its stack capture to come back. */
const CAPTURE_GRACE_MS = 1000;
/** Stretches and captures held at once, past which the oldest are dropped: each lasts the threshold at least, so only a stalled collector gets there. */
const MAX_PENDING = 256;
/** Clock readings of one instant taken on two threads agree to well under this. */
const SAME_INSTANT_MS = 0.01;

interface Capture {
  /** The heartbeat tick the stall began after (epoch ms): the one asked about, then the one it ran in. */
  tick: number;
  /** When the capture was asked for (epoch ms). */
  asked: number;
  task: number;
  /** Undefined while in flight; empty when it ran too late to show the stall. */
  stack?: StackFrame[];
  /** When it ran, on the main thread's clock. */
  at?: number;
}

/**
 * Turns the main thread's own records of long stretches into blocks, and
 * reads the stuck thread's stack while it is still stuck where it can.
 * Counting and durations come from the records alone: this thread's checks
 * are only as close together as the machine lets it run. A gap that holds
 * long callbacks is reported as those callbacks, one block each; a long
 * callback within no gap (shorter than a gap can show) is a block of its own.
 */
export class Watchdog {
  private session?: inspector.Session;
  private stalledSince = 0;
  private capturing = false;
  private captures: Capture[] = [];
  private gaps: { gap: Stretch; runs: Stretch[] }[] = [];
  private runs: Stretch[] = [];
  /** The heartbeat tick seen at the previous check: every record written before it has since been drained. */
  private drainedUpTo = 0;

  constructor(private readonly o: WatchdogOptions) {}

  /** A stretch from the ring. Records come in order, so a gap's long callbacks are all in by the time it is. */
  add(stretch: Stretch): void {
    if (!stretch.gap) {
      this.runs.push(stretch);
      if (this.runs.length > MAX_PENDING) this.runs.shift();
      return;
    }
    const inside = this.runs.filter((r) => r.end > stretch.start && r.end <= stretch.end + SAME_INSTANT_MS);
    this.runs = this.runs.filter((r) => !inside.includes(r));
    this.gaps.push({ gap: stretch, runs: inside });
    if (this.gaps.length > MAX_PENDING) this.gaps.shift();
  }

  /** Called on the collector's timer: watches for a stall to read its stack, and returns the blocks that are complete. */
  check(): BlockEvent[] {
    const tick = this.o.heartbeat[HB_TICK];
    if (tick !== 0) {
      if (this.stalledSince !== 0 && tick !== this.stalledSince) this.stalledSince = 0;
      if (this.stalledSince === 0 && epochNow() - tick > this.o.thresholdMs) {
        this.stalledSince = tick;
        this.capture(tick);
      }
    }
    const blocks = this.complete(false);
    this.drainedUpTo = tick;
    return blocks;
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

  /** True while a finished gap waits for its stack. */
  get waitingForStack(): boolean {
    return this.gaps.some(({ gap }) => {
      const capture = this.captureOf(gap);
      return capture !== undefined && capture.stack === undefined;
    });
  }

  /** Every block recorded, stacks in or not: for the last moments of a program. */
  flush(): BlockEvent[] {
    return this.complete(true);
  }

  private captureOf(gap: Stretch): Capture | undefined {
    return this.captures.find((c) => Math.abs(c.tick - this.o.mainTimeOrigin - gap.start) < SAME_INSTANT_MS);
  }

  private complete(all: boolean): BlockEvent[] {
    const blocks: BlockEvent[] = [];
    while (this.gaps.length > 0) {
      const { gap, runs } = this.gaps[0];
      const capture = this.captureOf(gap);
      if (!all && capture?.stack === undefined && capture !== undefined && epochNow() - capture.asked < CAPTURE_GRACE_MS) break;
      this.gaps.shift();
      if (capture) this.captures = this.captures.filter((c) => c !== capture);
      const caught = capture?.stack && capture.stack.length > 0 ? capture : undefined;
      if (runs.length === 0) {
        blocks.push(this.block(gap, caught?.stack ?? [], gap.task || (capture?.task ?? 0)));
        continue;
      }
      // The stack belongs to the callback it was read in, if it was read in one of them.
      for (const run of runs) blocks.push(this.block(run, caught && caught.at! >= run.start && caught.at! <= run.end ? caught.stack! : [], run.task));
    }
    const settled = this.drainedUpTo - this.o.mainTimeOrigin;
    const alone = this.runs.filter((r) => all || r.end < settled);
    this.runs = this.runs.filter((r) => !alone.includes(r));
    for (const run of alone) blocks.push(this.block(run, [], run.task));
    // A capture whose stall never became a gap (it ended under the gap threshold) is of no use.
    this.captures = this.captures.filter((c) => c.stack === undefined || epochNow() - c.asked < CAPTURE_GRACE_MS);
    return blocks;
  }

  private block(stretch: Stretch, stack: StackFrame[], task: number): BlockEvent {
    const event: BlockEvent = { type: "block", t: stretch.start, dur: Math.round((stretch.end - stretch.start) * 1000) / 1000, task, stack };
    const own = stack.filter((f) => f.file !== "" && !f.file.startsWith("node:") && !f.file.startsWith(this.o.runtimeDir));
    // The program's own line, not a library's, where there is one.
    const user = own.find((f) => !f.file.includes("/node_modules/")) ?? own[0];
    if (user) {
      event.site = siteAt(user.file, user.line, user.column, user.fn);
      event.placedBy = "stack";
    }
    if (stretch.request !== undefined) event.request = stretch.request;
    if (stretch.route !== undefined) event.route = stretch.route;
    return event;
  }

  private capture(stalledTick: number): void {
    if (!this.o.readStacks || this.capturing) return;
    const capture: Capture = { tick: stalledTick, asked: epochNow(), task: this.o.heartbeat[HB_TASK] };
    try {
      this.capturing = true;
      this.captures.push(capture);
      if (this.captures.length > MAX_PENDING) this.captures.shift();
      this.connect().post("Runtime.evaluate", { expression: CAPTURE, silent: true, returnByValue: true }, (error, result) => {
        this.capturing = false;
        capture.stack = [];
        if (error || typeof result?.result?.value !== "string") return;
        const { tick, at, stack } = JSON.parse(result.result.value) as { tick: number; at: number; stack: string };
        // A capture that arrives late, after its stall, may land in the next
        // one (blocks back to back): it belongs to the stall it ran in, if the
        // thread had by then gone without a beat for the threshold; otherwise
        // it ran on code that was not stuck.
        if (tick === 0 || at - (tick - this.o.mainTimeOrigin) < this.o.thresholdMs) return;
        capture.tick = tick;
        capture.stack = parseStack(stack);
        capture.at = at;
      });
    } catch (error) {
      this.capturing = false;
      capture.stack = [];
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
