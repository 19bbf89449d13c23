// The collector worker: drains the main thread's ring, names and source-maps
// what it finds, keeps the live state and the warnings, turns the main
// thread's long stretches into blocks, and writes batches to the trace file
// and sockets. All serialisation happens here, off the host program's thread.
import { parentPort, workerData } from "node:worker_threads";
import { getHeapStatistics } from "node:v8";
import type { CollectorData } from "./collector-data";
import { PROTOCOL_VERSION, encodeFrame, type BlockEvent, type CountsEvent, type ProcessKey, type TraceEvent } from "../protocol";
import { RingReader } from "../ring";
import { CTRL_DONE, CTRL_STOP, HB_ROOTS_SAMPLED, HB_ROOTS_SEEN } from "../shared-memory";
import { StringReader } from "../strings";
import { RecordDecoder } from "./records";
import { LiveState } from "./live-state";
import { allWarnings, type Warn } from "./warnings";
import { Watchdog, epochNow, type Stretch } from "./watchdog";
import { RoutePlaces } from "../block-places";
import type { Sink } from "../transport/sink";
import { TraceFileSink } from "../transport/trace-file";
import { log, setLogTarget } from "../log";

/**
 * Each wake-up of this thread costs more than a small drain, so it polls
 * rarely, except to watch the main thread's heartbeat: a check comes just
 * after the heartbeat would pass the block threshold, to read the stack while
 * the thread is still stuck; and at once again while a backlog remains.
 */
const POLL_MS = 100;
/** Records decoded between flushes, and events per frame. */
const RECORDS_PER_SLICE = 4096;
/** A bounded slice per poll keeps the stop flag, blocks and keyframes timely; if the program outpaces it, the ring drops and counts. */
const DRAIN_PER_POLL = 4 * RECORDS_PER_SLICE;
const WARN_POLL_MS = 250;
/** At exit: how long to wait for a last block's stack and for sockets to take their frames. */
const EXIT_GRACE_MS = 500;
const EXIT_RECHECK_MS = 2;
const SOCKET_RECHECK_MS = 5;
const PARKED_MS = 2 ** 30;
const TRACE_FILE_MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** Up to four viewers and one editor: together a sixth of the memory cap at most. */
const CLIENT_SHARE_OF_MEMORY = 1 / 32;
const MIN_CLIENT_BYTES = 256 * 1024;
const LIVE_LIMITS = { maxOpenTasks: 100_000, maxSettled: 100_000, maxKeyframeTasks: 2_000 };

class Collector {
  private readonly key: ProcessKey;
  private readonly ring: RingReader;
  private readonly control: Int32Array;
  private readonly heartbeat: Float64Array;
  private readonly decoder: RecordDecoder;
  private readonly state: LiveState;
  private readonly warnings: Warn[];
  private readonly watchdog: Watchdog;
  private readonly routes = new RoutePlaces();
  private readonly fileSinks: Sink[] = [];
  private readonly socketSinks: Sink[] = [];
  private readonly sinks: Sink[];
  private readonly counts: CountsEvent = { type: "counts", t: 0, rootsSeen: 0, rootsSampled: 0, dropped: { ring: 0, socket: 0, file: 0 }, memoryBytes: 0 };
  private seq = 0;
  private pending: TraceEvent[] = [];
  private skippedAtExit = 0;
  private lastWarnPoll = 0;
  private lastKeyframe: number;
  private timer?: NodeJS.Timeout;
  private finished = false;

  constructor(private readonly data: CollectorData) {
    const { config, processEvent } = data;
    setLogTarget(config.logFile);
    this.key = { pid: processEvent.pid, threadId: processEvent.threadId };
    this.ring = new RingReader(data.ring);
    this.control = new Int32Array(data.control);
    this.heartbeat = new Float64Array(data.heartbeat);
    this.decoder = new RecordDecoder(new StringReader(data.strings));
    this.state = new LiveState({ ...LIVE_LIMITS, queueWindowMs: config.queueWindowMs });
    this.warnings = allWarnings(config);
    this.watchdog = new Watchdog({
      heartbeat: this.heartbeat,
      thresholdMs: config.blockThresholdMs,
      mainTimeOrigin: processEvent.timeOrigin,
      readStacks: data.readStacks,
      runtimeDir: data.runtimeDir,
    });
    this.lastKeyframe = this.now();
    this.openSinks();
    this.sinks = [...this.fileSinks, ...this.socketSinks];
    // Sockets get the process description when a peer connects; the file gets it once, first.
    for (const sink of this.fileSinks) sink.send(this.frameOf([processEvent]), 0);
  }

  start(): void {
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  /** Milliseconds on the main thread's clock. */
  private now(): number {
    return epochNow() - this.data.processEvent.timeOrigin;
  }

  private openSinks(): void {
    const { config } = this.data;
    const perClientBytes = Math.max(MIN_CLIENT_BYTES, Math.floor(config.memoryMb * 1024 * 1024 * CLIENT_SHARE_OF_MEMORY));
    const greeting = () => [this.frameOf([this.data.processEvent, this.state.keyframe(this.now()), this.countsNow()])];
    if (config.traceFile) this.fileSinks.push(new TraceFileSink(config.traceFile, TRACE_FILE_MAX_BYTES));
    // Socket transports load only when configured: net and crypto add to every collector's start.
    if (config.listen && this.data.listen) {
      const { ViewerServer } = require("../transport/viewer-server") as typeof import("../transport/viewer-server");
      this.socketSinks.push(new ViewerServer(config.listen.host, config.listen.port, config.listen.tokenFile, greeting, perClientBytes));
    }
    if (config.connect) {
      const { EditorConnection } = require("../transport/editor-connection") as typeof import("../transport/editor-connection");
      this.socketSinks.push(new EditorConnection(config.connect.host, config.connect.port, config.connect.token, this.key, greeting, perClientBytes));
    }
  }

  private frameOf(events: TraceEvent[]): Uint8Array {
    return encodeFrame({ v: PROTOCOL_VERSION, type: "batch", process: this.key, seq: this.seq++, events });
  }

  private emit(e: TraceEvent | Stretch): void {
    if (e.type === "stretch") return this.watchdog.add(e);
    if (e.type === "block") this.place(e);
    // Only blocks and lock events raise warnings as they pass; checks see the
    // state before the event applies (a lock's wait start, say).
    const raised = e.type === "block" || e.type === "lock" ? this.warnings.flatMap((w) => (w.onEvent ? w.onEvent(e, this.state) : [])) : undefined;
    this.state.apply(e);
    this.pending.push(e);
    if (raised) this.pending.push(...raised);
  }

  /** A block without a stack is placed by the task that ran it, or by its route. */
  private place(block: BlockEvent): void {
    if (block.task !== 0) {
      const origin = this.state.originOf(block.task);
      if (block.request === undefined && origin.request !== undefined) block.request = origin.request;
      if (!block.site && origin.site) {
        block.site = origin.site;
        block.placedBy = "task";
      }
    }
    this.routes.learn(block);
    this.routes.place(block);
  }

  private flush(): void {
    for (let i = 0; i < this.pending.length; i += RECORDS_PER_SLICE) {
      const events = this.pending.slice(i, i + RECORDS_PER_SLICE);
      const frame = this.frameOf(events);
      for (const sink of this.sinks) sink.send(frame, events.length);
    }
    this.pending = [];
  }

  /** Drains what the main thread has published, at most `limit` records; true if it stopped at the limit. */
  private drain(limit: number): boolean {
    const published = this.ring.published();
    let read = 0;
    let n: number;
    const visit = (slots: Float64Array, at: number) => {
      const e = this.decoder.decode(slots, at);
      if (e !== undefined) this.emit(e);
    };
    while (read < limit && (n = this.ring.drain(published, RECORDS_PER_SLICE, visit)) > 0) {
      read += n;
      this.flush();
    }
    return read >= limit;
  }

  private emitBlocks(blocks: BlockEvent[]): void {
    for (const block of blocks) this.emit(block);
  }

  private countsNow(): CountsEvent {
    const { counts, data } = this;
    counts.t = this.now();
    counts.rootsSeen = this.heartbeat[HB_ROOTS_SEEN];
    counts.rootsSampled = this.heartbeat[HB_ROOTS_SAMPLED];
    counts.dropped = {
      ring: this.ring.dropped + this.skippedAtExit,
      file: this.fileSinks.reduce((n, s) => n + s.dropped, 0),
      socket: this.socketSinks.reduce((n, s) => n + s.dropped, 0),
    };
    counts.memoryBytes = data.ring.byteLength + data.strings.byteLength + data.heartbeat.byteLength + getHeapStatistics().used_heap_size + this.sinks.reduce((n, s) => n + s.bufferedBytes, 0);
    return { ...counts, dropped: { ...counts.dropped } };
  }

  private stopAsked(): boolean {
    return Atomics.load(this.control, CTRL_STOP) === 1;
  }

  private poll(): void {
    let backlog = false;
    try {
      if (this.stopAsked()) return this.finish();
      backlog = this.drain(DRAIN_PER_POLL);
      this.emitBlocks(this.watchdog.check());
      this.pollWarningsAndKeyframes();
      this.flush();
      if (this.stopAsked()) this.finish();
    } catch (error) {
      log(`collector: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (!this.finished) this.timer = setTimeout(() => this.poll(), backlog ? 1 : Math.max(1, Math.min(POLL_MS, Math.ceil(this.watchdog.msUntilStall()) + 1)));
  }

  private pollWarningsAndKeyframes(): void {
    const t = this.now();
    if (t - this.lastWarnPoll >= WARN_POLL_MS) {
      this.lastWarnPoll = t;
      for (const w of this.warnings) if (w.poll) this.pending.push(...w.poll(this.state, t));
    }
    if (t - this.lastKeyframe >= this.data.config.keyframeMs) {
      this.lastKeyframe = t;
      this.pending.push(this.state.keyframe(t), this.countsNow());
    }
  }

  /** The program is exiting and waits for this: a backlog is counted, not written. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.drain(DRAIN_PER_POLL);
    this.skippedAtExit = this.ring.skip(this.ring.published());
    this.writeLastBlocks(Date.now() + EXIT_GRACE_MS);
  }

  /** A block that ended the program may still have its stack on the way: wait for it, briefly. */
  private writeLastBlocks(giveUpAt: number): void {
    this.emitBlocks(this.watchdog.check());
    if (this.watchdog.waitingForStack && Date.now() < giveUpAt) return void setTimeout(() => this.writeLastBlocks(giveUpAt), EXIT_RECHECK_MS);
    this.emitBlocks(this.watchdog.flush());
    const t = this.now();
    this.pending.push(this.state.keyframe(t), this.countsNow(), { type: "end", t, reason: "exit" });
    this.flush();
    this.watchdog.close();
    this.release(giveUpAt);
  }

  /** Sockets may still hold frames: wait for them, briefly, then let the program go. */
  private release(giveUpAt: number): void {
    if (this.socketSinks.some((s) => s.bufferedBytes > 0) && Date.now() < giveUpAt) return void setTimeout(() => this.release(giveUpAt), SOCKET_RECHECK_MS);
    for (const sink of this.sinks) sink.close();
    Atomics.store(this.control, CTRL_DONE, 1);
    Atomics.notify(this.control, CTRL_DONE);
    parentPort?.postMessage("done");
    // Stay up until the program's exit or stop() ends this thread. Left to
    // end on its own, this thread's teardown can race the main thread,
    // which may be just then removing the watchdog's inspector session, and
    // Node aborts the whole process (seen about once in 50 exits, SIGABRT
    // in MainThreadInterface::Post). Ended from the main thread, the
    // teardown happens while that thread waits for it.
    setInterval(() => {}, PARKED_MS);
  }
}

new Collector(workerData as CollectorData).start();
