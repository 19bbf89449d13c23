// The collector worker: drains the main thread's ring, names and source-maps
// what it finds, keeps the live state and the warnings, watches for blocks,
// and writes batches to the trace file and sockets. All serialisation happens
// here, off the host program's thread.
import { parentPort, workerData } from "node:worker_threads";
import { CTRL_DONE, CTRL_STOP, type CollectorData } from "./collector-data";
import { getHeapStatistics } from "node:v8";
import { PROTOCOL_VERSION, encodeFrame, type CountsEvent, type ProcessKey, type TraceEvent } from "../protocol";
import { RingReader } from "../ring";
import { HB_ROOTS_SAMPLED, HB_ROOTS_SEEN } from "../recorder";
import { StringReader } from "../strings";
import { RecordDecoder } from "./records";
import { LiveState } from "./live-state";
import { allWarnings } from "./warnings";
import { Watchdog, epochNow } from "./watchdog";
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
const RECORDS_PER_SLICE = 4096;
const WARN_POLL_MS = 250;
const EXIT_GRACE_MS = 500;
const PARKED_MS = 2 ** 30;
const DRAIN_PER_POLL = 4 * RECORDS_PER_SLICE;

function main(data: CollectorData): void {
  const { config } = data;
  setLogTarget(config.logFile);
  const mainOrigin = data.processEvent.timeOrigin;
  const now = () => epochNow() - mainOrigin;
  const key: ProcessKey = { pid: data.processEvent.pid, threadId: data.processEvent.threadId };
  const ring = new RingReader(data.ring);
  const control = new Int32Array(data.control);
  const decoder = new RecordDecoder(new StringReader(data.strings));
  const state = new LiveState({ maxOpenTasks: 100_000, maxSettled: 100_000, maxKeyframeTasks: 2_000, queueWindowMs: config.queueWindowMs });
  const warnings = allWarnings(config);
  const heartbeat = new Float64Array(data.heartbeat);
  const watchdog = new Watchdog({
    heartbeat,
    thresholdMs: config.blockThresholdMs,
    mainTimeOrigin: mainOrigin,
    readStacks: data.readStacks,
    runtimeDir: data.runtimeDir,
  });
  const counts: CountsEvent = { type: "counts", t: 0, rootsSeen: 0, rootsSampled: 0, dropped: { ring: 0, socket: 0, file: 0 }, memoryBytes: 0 };
  let seq = 0;
  let pending: TraceEvent[] = [];

  const frameOf = (events: TraceEvent[]) => encodeFrame({ v: PROTOCOL_VERSION, type: "batch", process: key, seq: seq++, events });
  const greeting = () => [frameOf([data.processEvent, state.keyframe(now()), { ...counts, dropped: { ...counts.dropped } }])];
  // Up to four viewers and one editor: together a sixth of the memory cap at most.
  const perClientBytes = Math.max(256 * 1024, Math.floor((config.memoryMb * 1024 * 1024) / 32));
  const fileSinks: Sink[] = [];
  const socketSinks: Sink[] = [];
  if (config.traceFile) fileSinks.push(new TraceFileSink(config.traceFile, 4 * 1024 * 1024 * 1024));
  // Socket transports load only when configured: net and crypto add to every collector's start.
  if (config.listen && data.listen) {
    const { ViewerServer } = require("../transport/viewer-server") as typeof import("../transport/viewer-server");
    socketSinks.push(new ViewerServer(config.listen.host, config.listen.port, config.listen.tokenFile, greeting, perClientBytes));
  }
  if (config.connect) {
    const { EditorConnection } = require("../transport/editor-connection") as typeof import("../transport/editor-connection");
    socketSinks.push(new EditorConnection(config.connect.host, config.connect.port, config.connect.token, key, greeting, perClientBytes));
  }
  const sinks = [...fileSinks, ...socketSinks];
  // Sockets get the process description when a peer connects; the file gets it once, first.
  for (const sink of fileSinks) sink.send(frameOf([data.processEvent]), 0);

  const emit = (e: TraceEvent) => {
    // Only blocks and lock events raise warnings as they pass; checks see the
    // state before the event applies (a lock's wait start, say).
    const raised = e.type === "block" || e.type === "lock" ? warnings.flatMap((w) => (w.onEvent ? w.onEvent(e, state) : [])) : undefined;
    state.apply(e);
    pending.push(e);
    if (raised) pending.push(...raised);
  };

  const flush = () => {
    for (let i = 0; i < pending.length; i += RECORDS_PER_SLICE) {
      const events = pending.slice(i, i + RECORDS_PER_SLICE);
      const frame = frameOf(events);
      for (const sink of sinks) sink.send(frame, events.length);
    }
    pending = [];
  };

  let skippedAtExit = 0;
  /** Drains what the main thread has published, at most `limit` records; true if it stopped at the limit. */
  const drain = (limit = Infinity): boolean => {
    const published = ring.published();
    let read = 0;
    let n: number;
    while (
      read < limit &&
      (n = ring.drain(published, RECORDS_PER_SLICE, (slots, at) => {
        const e = decoder.decode(slots, at);
        if (e !== undefined) emit(e);
      })) > 0
    ) {
      read += n;
      flush();
    }
    return read >= limit;
  };

  const countsNow = (): CountsEvent => {
    counts.t = now();
    counts.rootsSeen = heartbeat[HB_ROOTS_SEEN];
    counts.rootsSampled = heartbeat[HB_ROOTS_SAMPLED];
    counts.dropped = {
      ring: ring.dropped + skippedAtExit,
      file: fileSinks.reduce((n, s) => n + s.dropped, 0),
      socket: socketSinks.reduce((n, s) => n + s.dropped, 0),
    };
    counts.memoryBytes = data.ring.byteLength + data.strings.byteLength + data.heartbeat.byteLength + getHeapStatistics().used_heap_size + sinks.reduce((n, s) => n + s.bufferedBytes, 0);
    return { ...counts, dropped: { ...counts.dropped } };
  };

  let lastWarnPoll = 0;
  let lastKeyframe = now();
  const poll = () => {
    let backlog = false;
    try {
      if (Atomics.load(control, CTRL_STOP) === 1) return finish();
      // A bounded slice per poll keeps the stop flag, blocks and keyframes
      // timely; if the program outpaces this, the ring drops and counts.
      backlog = drain(DRAIN_PER_POLL);
      const block = watchdog.check();
      if (block) emit(block);
      const t = now();
      if (t - lastWarnPoll >= WARN_POLL_MS) {
        lastWarnPoll = t;
        for (const w of warnings) if (w.poll) pending.push(...w.poll(state, t));
      }
      if (t - lastKeyframe >= config.keyframeMs) {
        lastKeyframe = t;
        pending.push(state.keyframe(t), countsNow());
      }
      flush();
      if (Atomics.load(control, CTRL_STOP) === 1) finish();
    } catch (error) {
      log(`collector: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (!finished) timer = setTimeout(poll, backlog ? 1 : Math.max(1, Math.min(POLL_MS, Math.ceil(watchdog.msUntilStall()) + 1)));
  };

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    // The program is exiting and waits for this: a backlog is counted, not written.
    drain(DRAIN_PER_POLL);
    skippedAtExit = ring.skip(ring.published());
    // A block that ended the program may still have its stack on the way;
    // sockets may still hold frames. Wait for both, briefly, then let go.
    const giveUpAt = Date.now() + EXIT_GRACE_MS;
    let blocksDone = false;
    const done = () => {
      if (!blocksDone) {
        const block = watchdog.check();
        if (block) emit(block);
        if (watchdog.waitingForStack && Date.now() < giveUpAt) return void setTimeout(done, 2);
        const last = watchdog.flush();
        if (last) emit(last);
        blocksDone = true;
        pending.push(state.keyframe(now()), countsNow(), { type: "end", t: now(), reason: "exit" });
        flush();
        watchdog.close();
      }
      if (socketSinks.some((s) => s.bufferedBytes > 0) && Date.now() < giveUpAt) return void setTimeout(done, 5);
      for (const sink of sinks) sink.close();
      Atomics.store(control, CTRL_DONE, 1);
      Atomics.notify(control, CTRL_DONE);
      parentPort?.postMessage("done");
      // Stay up until the program's exit or stop() ends this thread. Left to
      // end on its own, this thread's teardown can race the main thread,
      // which may be just then removing the watchdog's inspector session, and
      // Node aborts the whole process (seen about once in 50 exits, SIGABRT
      // in MainThreadInterface::Post). Ended from the main thread, the
      // teardown happens while that thread waits for it.
      setInterval(() => {}, PARKED_MS);
    };
    done();
  };

  let timer = setTimeout(poll, POLL_MS);
}

main(workerData as CollectorData);
