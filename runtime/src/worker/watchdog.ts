// Detects blocks while they happen. The main thread stamps a heartbeat from a
// timer; when the stamp goes stale past the threshold, this worker pauses the
// main thread through the inspector to read what it is running, then resumes
// it. The debugger is enabled on the first stall only: enabling it costs a
// pass over every loaded script, which a program that never blocks should not pay.
import * as inspector from "node:inspector";
import { performance } from "node:perf_hooks";
import type { BlockEvent, StackFrame } from "../protocol";
import { HB_TASK, HB_TICK } from "../recorder";
import { siteAt, toPath } from "./source-sites";
import { log } from "../log";

interface CallFrame {
  functionName: string;
  url: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number };
}

export interface WatchdogOptions {
  heartbeat: Float64Array;
  thresholdMs: number;
  tickMs: number;
  /** The main thread's performance.timeOrigin, to express times on its clock. */
  mainTimeOrigin: number;
  /** False when a debugger is already attached to the program: never pause under it. */
  readStacks: boolean;
  runtimeDir: string;
}

const epochNow = () => performance.timeOrigin + performance.now();

export class Watchdog {
  private session?: inspector.Session;
  private enabled = false;
  private readonly scripts = new Map<string, string>();
  private stalledSince = 0;
  private lastTick = 0;
  private stack: StackFrame[] = [];
  private task = 0;

  constructor(private readonly o: WatchdogOptions) {}

  /** Called on the worker's timer; returns a block once one has ended. */
  check(): BlockEvent | undefined {
    const tick = this.o.heartbeat[HB_TICK];
    if (tick === 0) return undefined;
    if (this.lastTick === 0) this.lastTick = tick;
    if (tick !== this.lastTick) {
      const previous = this.lastTick;
      this.lastTick = tick;
      const gap = tick - previous;
      const wasStalled = this.stalledSince !== 0;
      this.stalledSince = 0;
      // A gap over threshold that the timer did not catch still counts, without a stack.
      if (!wasStalled && gap - this.o.tickMs < this.o.thresholdMs) return undefined;
      return this.block(previous, gap);
    }
    if (this.stalledSince === 0 && epochNow() - tick > this.o.thresholdMs) {
      this.stalledSince = tick;
      this.stack = [];
      this.task = this.o.heartbeat[HB_TASK];
      this.pause(tick);
    }
    return undefined;
  }

  private block(start: number, dur: number): BlockEvent {
    const stack = this.stack;
    this.stack = [];
    const user = stack.find((f) => f.file !== "" && !f.file.startsWith("node:") && !f.file.startsWith(this.o.runtimeDir));
    const event: BlockEvent = { type: "block", t: start - this.o.mainTimeOrigin, dur, task: this.task, stack };
    if (user) event.site = siteAt(user.file, user.line, user.column, user.fn);
    return event;
  }

  private pause(stalledTick: number): void {
    if (!this.o.readStacks) return;
    try {
      const session = this.connect();
      if (!this.enabled) {
        this.enabled = true;
        session.post("Debugger.enable");
      }
      session.post("Debugger.pause");
    } catch (error) {
      log(`watchdog: cannot pause the main thread: ${String(error)}`);
      this.o.readStacks = false;
    }
    this.pausedFor = stalledTick;
  }

  private pausedFor = 0;

  private connect(): inspector.Session {
    if (this.session) return this.session;
    const session = new inspector.Session();
    session.connectToMainThread();
    session.on("Debugger.scriptParsed", (m: { params: { scriptId: string; url: string } }) => {
      this.scripts.set(m.params.scriptId, m.params.url);
    });
    session.on("Debugger.paused", (m: { params: { callFrames: CallFrame[] } }) => {
      // The thread is stopped, so the heartbeat cannot move under us: if it
      // already moved, the pause landed after the block, on unrelated code.
      if (this.o.heartbeat[HB_TICK] === this.pausedFor) {
        this.stack = m.params.callFrames.map((f) => ({
          fn: f.functionName,
          file: toPath(f.url || this.scripts.get(f.location.scriptId) || ""),
          line: f.location.lineNumber + 1,
          column: (f.location.columnNumber ?? 0) + 1,
        }));
      }
      session.post("Debugger.resume");
    });
    this.session = session;
    return session;
  }

  close(): void {
    if (!this.session) return;
    try {
      if (this.enabled) this.session.post("Debugger.disable");
      this.session.disconnect();
    } catch {
      // The main thread may already be gone.
    }
  }
}
