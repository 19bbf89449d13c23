// The Async Lens trace protocol: every message the runtime writes to a socket or
// a trace file, how it is framed, and how a receiver validates it. The Task
// Inspector imports this module and defines no event shapes of its own, so it
// must stay free of Node imports (it is bundled into a webview).
//
// Compatibility rule: fields and event types are only ever added. A receiver
// keeps the events it knows, skips event types it does not, and ignores
// unknown fields.

export const PROTOCOL_VERSION = 1;

/** First bytes of a trace file: "ALENS", NUL, protocol generation, newline. */
export const TRACE_FILE_MAGIC = new Uint8Array([0x41, 0x4c, 0x45, 0x4e, 0x53, 0x00, 0x31, 0x0a]);

/** Largest frame a writer produces. Batches are split well below this. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Largest frame accepted from a peer that has not yet authenticated. */
export const MAX_HELLO_BYTES = 4096;

/** A source position. `file` is a path or URL; line and column are 1-based. */
export interface Site {
  file: string;
  line: number;
  column: number;
  fn?: string;
  /** The generated JavaScript position when `file`/`line` were source-mapped. */
  generated?: { file: string; line: number; column: number };
}

/** Identifies one instrumented thread: a process, or a worker thread inside it. */
export interface ProcessKey {
  pid: number;
  threadId: number;
}

// Each enumeration is written once, here, as a const array: the types, the
// validators and the ring's numeric codes (an index into the array) all come from it.
export const TASK_KINDS = ["promise", "http", "timer", "socket", "fs", "other"] as const;
export const SETTLE_STATES = ["fulfilled", "rejected", "finished", "settled"] as const;
export const LOCK_OPS = ["wait", "acquire", "release"] as const;
export const QUEUE_SOURCES = ["stream", "p-queue", "p-limit", "resource"] as const;
export const WARNING_CHECKS = ["block", "never-settled", "lock-wait", "lock-held-across-await", "queue-growing"] as const;
export const BLOCK_PLACEMENTS = ["stack", "task"] as const;

export type TaskKind = (typeof TASK_KINDS)[number];

export interface ProcessEvent {
  type: "process";
  t: number;
  pid: number;
  threadId: number;
  ppid: number;
  argv: string[];
  /** Epoch milliseconds at which `t` is 0 for every event of this process. */
  timeOrigin: number;
  runtimeVersion: string;
  sampleEvery: number;
  /** At most this many roots a second were sampled (absent or 0: no limit). */
  sampledPerSecond?: number;
  blockThresholdMs: number;
}

export interface TaskEvent {
  type: "task";
  t: number;
  id: number;
  /** Parent or trigger task, 0 for a root. */
  parent: number;
  kind: TaskKind;
  name?: string;
  site?: Site;
}

/** One callback of a task ran from `t` for `dur` milliseconds. */
export interface RunEvent {
  type: "run";
  t: number;
  id: number;
  dur: number;
}

export type SettleState = (typeof SETTLE_STATES)[number];

export interface SettleEvent {
  type: "settle";
  t: number;
  id: number;
  /**
   * "finished" ends a task that is not a promise (an HTTP request); "settled"
   * is a promise that nothing awaited, whose outcome the runtime does not read.
   */
  state: SettleState;
  /** A request whose client went away before the response was sent. */
  aborted?: true;
}

export interface LoopEvent {
  type: "loop";
  t: number;
  /** Length of the window these figures describe. */
  windowMs: number;
  delay: { min: number; max: number; mean: number; p50: number; p90: number; p99: number };
  utilization: number;
}

export interface StackFrame {
  fn: string;
  file: string;
  line: number;
  column: number;
}

/**
 * How a block's `site` was found: "stack", the watchdog read the stuck
 * thread's stack; "task", from the task or request that was running (its
 * creation site, or where other blocks of the same route were caught).
 */
export type BlockPlacement = (typeof BLOCK_PLACEMENTS)[number];

/** A synchronous stretch on the main thread longer than the block threshold. */
export interface BlockEvent {
  type: "block";
  t: number;
  dur: number;
  /** Task running when the stretch ran, 0 if unknown or unsampled. */
  task: number;
  /** The stuck thread's stack, innermost first; empty if it could not be read. */
  stack: StackFrame[];
  /** The innermost frame in the program's own code: the line that was running. */
  site?: Site;
  /** How `site` was found; absent when it was not. */
  placedBy?: BlockPlacement;
  /** The HTTP request whose handler ran the stretch ("GET /path"), sampled or not. */
  request?: string;
  /** That request's route pattern, where the framework names one (express: "/users/:id"). */
  route?: string;
}

export type LockOp = (typeof LOCK_OPS)[number];

export interface LockEvent {
  type: "lock";
  t: number;
  lock: number;
  name: string;
  /** Which library or API the lock comes from: "async-mutex", "async-lock", "resource". */
  source: string;
  op: LockOp;
  /** Identifies one wait → acquire → release sequence. */
  holder: number;
  task: number;
  site?: Site;
}

export type QueueSource = (typeof QUEUE_SOURCES)[number];

export interface QueueEvent {
  type: "queue";
  t: number;
  queue: number;
  name: string;
  source: QueueSource;
  depth: number;
  /** Depth beyond which the queue is over its intended bound (a stream's highWaterMark). */
  capacity?: number;
  /** Items being processed, for queues that run work (p-queue, p-limit). */
  active?: number;
}

export type WarningCheck = (typeof WARNING_CHECKS)[number];

export interface WarningEvent {
  type: "warning";
  t: number;
  check: WarningCheck;
  message: string;
  site?: Site;
  task?: number;
  lock?: number;
  queue?: number;
}

export interface CountsEvent {
  type: "counts";
  t: number;
  /** Root tasks seen, sampled or not. */
  rootsSeen: number;
  rootsSampled: number;
  /** Events lost because a buffer was full, by where they were lost. */
  dropped: { ring: number; socket: number; file: number };
  /** Bytes the runtime holds: ring, tables, per-client buffers. */
  memoryBytes: number;
}

export interface TaskSnapshot {
  id: number;
  parent: number;
  kind: TaskKind;
  t: number;
  name?: string;
  site?: Site;
  runs: number;
  busy: number;
}

export interface LockSnapshot {
  lock: number;
  name: string;
  source: string;
  holders: number[];
  waiters: number[];
}

export interface QueueSnapshot {
  queue: number;
  name: string;
  source: QueueSource;
  depth: number;
  capacity?: number;
}

/** The whole live state at `t`, so a reader can start from here. */
export interface KeyframeEvent {
  type: "keyframe";
  t: number;
  openTasks: TaskSnapshot[];
  /** Open tasks left out because the snapshot is bounded. */
  openTasksOmitted: number;
  locks: LockSnapshot[];
  queues: QueueSnapshot[];
}

export interface EndEvent {
  type: "end";
  t: number;
  reason: string;
}

export type TraceEvent =
  | ProcessEvent
  | TaskEvent
  | RunEvent
  | SettleEvent
  | LoopEvent
  | BlockEvent
  | LockEvent
  | QueueEvent
  | WarningEvent
  | CountsEvent
  | KeyframeEvent
  | EndEvent;

/** One frame: a batch of events from one process. */
export interface BatchMessage {
  v: number;
  type: "batch";
  process: ProcessKey;
  seq: number;
  events: TraceEvent[];
}

/** The first frame on a socket, from the side that must prove it knows the token. */
export interface HelloMessage {
  v: number;
  type: "hello";
  role: "runtime" | "viewer";
  token: string;
  process?: ProcessKey;
}

export type Message = BatchMessage | HelloMessage;

// ---- Validation -----------------------------------------------------------

type Guard = (x: Record<string, unknown>) => boolean;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === "string";
const optStr = (x: unknown) => x === undefined || isStr(x);
const optNum = (x: unknown) => x === undefined || isNum(x);
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (x: unknown): x is T =>
    typeof x === "string" && (values as readonly string[]).includes(x);

const isPosition = (x: unknown) => isObj(x) && isStr(x.file) && isNum(x.line) && isNum(x.column);
const isSite = (x: unknown): x is Site =>
  isPosition(x) && optStr((x as Record<string, unknown>).fn) && ((x as Record<string, unknown>).generated === undefined || isPosition((x as Record<string, unknown>).generated));
const optSite = (x: unknown) => x === undefined || isSite(x);
const isFrame = (x: unknown) => isPosition(x) && isStr((x as Record<string, unknown>).fn);
const isTaskKind = oneOf(TASK_KINDS);
const isQueueSource = oneOf(QUEUE_SOURCES);
const arrayOf = (guard: (x: unknown) => boolean) => (x: unknown) => Array.isArray(x) && x.every(guard);

const eventGuards: Record<TraceEvent["type"], Guard> = {
  process: (e) =>
    isNum(e.pid) && isNum(e.threadId) && isNum(e.ppid) && arrayOf(isStr)(e.argv) && isNum(e.timeOrigin) && isStr(e.runtimeVersion) && isNum(e.sampleEvery) && optNum(e.sampledPerSecond) && isNum(e.blockThresholdMs),
  task: (e) => isNum(e.id) && isNum(e.parent) && isTaskKind(e.kind) && optStr(e.name) && optSite(e.site),
  run: (e) => isNum(e.id) && isNum(e.dur),
  settle: (e) => isNum(e.id) && oneOf(SETTLE_STATES)(e.state) && (e.aborted === undefined || e.aborted === true),
  loop: (e) =>
    isNum(e.windowMs) &&
    isNum(e.utilization) &&
    isObj(e.delay) &&
    ["min", "max", "mean", "p50", "p90", "p99"].every((k) => isNum((e.delay as Record<string, unknown>)[k])),
  block: (e) =>
    isNum(e.dur) && isNum(e.task) && arrayOf(isFrame)(e.stack) && optSite(e.site) && (e.placedBy === undefined || oneOf(BLOCK_PLACEMENTS)(e.placedBy)) && optStr(e.request) && optStr(e.route),
  lock: (e) => isNum(e.lock) && isStr(e.name) && isStr(e.source) && oneOf(LOCK_OPS)(e.op) && isNum(e.holder) && isNum(e.task) && optSite(e.site),
  queue: (e) => isNum(e.queue) && isStr(e.name) && isQueueSource(e.source) && isNum(e.depth) && optNum(e.capacity) && optNum(e.active),
  warning: (e) =>
    oneOf(WARNING_CHECKS)(e.check) &&
    isStr(e.message) &&
    optSite(e.site) &&
    optNum(e.task) &&
    optNum(e.lock) &&
    optNum(e.queue),
  counts: (e) =>
    isNum(e.rootsSeen) && isNum(e.rootsSampled) && isNum(e.memoryBytes) && isObj(e.dropped) && ["ring", "socket", "file"].every((k) => isNum((e.dropped as Record<string, unknown>)[k])),
  keyframe: (e) =>
    arrayOf((s) => isObj(s) && isNum(s.id) && isNum(s.parent) && isTaskKind(s.kind) && isNum(s.t) && isNum(s.runs) && isNum(s.busy) && optSite(s.site))(e.openTasks) &&
    isNum(e.openTasksOmitted) &&
    arrayOf((s) => isObj(s) && isNum(s.lock) && isStr(s.name) && arrayOf(isNum)(s.holders) && arrayOf(isNum)(s.waiters))(e.locks) &&
    arrayOf((s) => isObj(s) && isNum(s.queue) && isStr(s.name) && isQueueSource(s.source) && isNum(s.depth))(e.queues),
  end: (e) => isStr(e.reason),
};

export type Validated<T> = { ok: true; value: T; skipped: number } | { ok: false; error: string };

/**
 * Checks a decoded frame. Events of unknown type (from a newer runtime) are
 * dropped and counted in `skipped`; a known event with wrong fields rejects the
 * whole message, since it means a broken or hostile peer.
 */
export function validateMessage(x: unknown): Validated<Message> {
  if (!isObj(x)) return { ok: false, error: "message is not an object" };
  if (!isNum(x.v) || x.v < 1) return { ok: false, error: "missing protocol version" };
  if (x.type === "hello") {
    if (!oneOf(["runtime", "viewer"])(x.role) || !isStr(x.token)) return { ok: false, error: "malformed hello" };
    if (x.process !== undefined && !(isObj(x.process) && isNum(x.process.pid) && isNum(x.process.threadId))) return { ok: false, error: "malformed hello" };
    return { ok: true, value: x as unknown as HelloMessage, skipped: 0 };
  }
  if (x.type !== "batch") return { ok: false, error: `unknown message type ${JSON.stringify(x.type)}` };
  if (!isObj(x.process) || !isNum(x.process.pid) || !isNum(x.process.threadId) || !isNum(x.seq) || !Array.isArray(x.events)) {
    return { ok: false, error: "malformed batch" };
  }
  const events: TraceEvent[] = [];
  let skipped = 0;
  for (const e of x.events as unknown[]) {
    if (!isObj(e) || !isStr(e.type) || !isNum(e.t)) return { ok: false, error: "malformed event" };
    const guard = (eventGuards as Record<string, Guard | undefined>)[e.type];
    if (guard === undefined) {
      skipped++;
      continue;
    }
    if (!guard(e)) return { ok: false, error: `malformed ${e.type} event` };
    events.push(e as unknown as TraceEvent);
  }
  return { ok: true, value: { ...(x as unknown as BatchMessage), events }, skipped };
}

// ---- Framing ---------------------------------------------------------------
// A frame is a 4-byte little-endian payload length followed by the payload, a
// UTF-8 JSON message. The same framing serves sockets and trace files; a frame
// whose bytes are not all there (a killed writer) is simply never complete.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeFrame(message: Message): Uint8Array {
  const payload = encoder.encode(JSON.stringify(message));
  const frame = new Uint8Array(4 + payload.length);
  new DataView(frame.buffer).setUint32(0, payload.length, true);
  frame.set(payload, 4);
  return frame;
}

export type DecodedFrame = { ok: true; message: Message; skipped: number } | { ok: false; error: string; fatal: boolean };

/**
 * Incremental frame reader. After a fatal error (an oversized frame, bytes
 * that are not JSON) the stream cannot be resynchronised, so the caller
 * should drop the peer.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private failed = false;

  constructor(public maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Buffers bytes and returns every frame they complete. */
  push(chunk: Uint8Array): DecodedFrame[] {
    this.append(chunk);
    const out: DecodedFrame[] = [];
    for (let frame = this.next(); frame !== undefined; frame = this.next()) out.push(frame);
    return out;
  }

  append(chunk: Uint8Array): void {
    if (this.failed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next complete frame, if any. Reading one frame at a time lets a
   * receiver raise `maxFrameBytes` once the peer has authenticated.
   */
  next(): DecodedFrame | undefined {
    if (this.failed || this.buffered < 4) return undefined;
    const head = this.peek(4);
    const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
    if (length > this.maxFrameBytes) {
      this.failed = true;
      return { ok: false, error: `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`, fatal: true };
    }
    if (this.buffered < 4 + length) return undefined;
    const payload = this.take(4 + length).subarray(4);
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(payload));
    } catch {
      this.failed = true;
      return { ok: false, error: "frame is not UTF-8 JSON", fatal: true };
    }
    const checked = validateMessage(parsed);
    return checked.ok ? { ok: true, message: checked.value, skipped: checked.skipped } : { ok: false, error: checked.error, fatal: false };
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first.length >= n) return first.subarray(0, n);
    return this.concat().subarray(0, n);
  }

  private take(n: number): Uint8Array {
    const all = this.chunks[0].length >= n ? this.chunks[0] : this.concat();
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= n;
    return all.subarray(0, n);
  }

  private concat(): Uint8Array {
    const all = new Uint8Array(this.buffered);
    let offset = 0;
    for (const c of this.chunks) {
      all.set(c, offset);
      offset += c.length;
    }
    this.chunks = [all];
    return all;
  }
}

export interface DecodedTrace {
  messages: BatchMessage[];
  /** True when the file ends inside a frame: the writer was killed mid-write. */
  truncated: boolean;
  /** Frames that decoded but failed validation, and events of unknown types. */
  rejected: number;
  skippedEvents: number;
}

/** Decodes a whole trace file, keeping every complete, valid record. */
export function decodeTraceFile(bytes: Uint8Array): DecodedTrace {
  if (bytes.length < TRACE_FILE_MAGIC.length || !TRACE_FILE_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new Error("not an Async Lens trace file (bad magic)");
  }
  const frames = new FrameDecoder();
  const result: DecodedTrace = { messages: [], truncated: false, rejected: 0, skippedEvents: 0 };
  for (const frame of frames.push(bytes.subarray(TRACE_FILE_MAGIC.length))) {
    if (frame.ok && frame.message.type === "batch") {
      result.messages.push(frame.message);
      result.skippedEvents += frame.skipped;
    } else if (!frame.ok && frame.fatal) {
      // A torn length prefix from a killed writer reads as a huge frame: stop here.
      result.truncated = true;
      return result;
    } else {
      result.rejected++;
    }
  }
  result.truncated = frames.pendingBytes > 0;
  return result;
}
