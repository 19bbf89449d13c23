// Queue depth over time. Tracked queues are held weakly and sampled from the
// heartbeat, so tracking adds nothing to the queue operations themselves and
// never keeps a queue alive. Streams are tracked automatically the first time
// a write or push reports backpressure (the case worth watching).
import { Readable, Writable } from "node:stream";
import type { QueueSource } from "./protocol";
import { activeRecorder } from "./runtime-state";
import type { Recorder } from "./recorder";

export interface QueueReading {
  depth: number;
  capacity?: number;
  active?: number;
}

interface Tracked {
  id: number;
  ref: WeakRef<object>;
  read: (queue: object) => QueueReading;
  lastDepth: number;
  lastSampleAt: number;
}

const MAX_TRACKED = 1000;
/** Unchanged depths are still sampled this often, so a plateau shows on the plot. */
const RESAMPLE_MS = 1000;
const tracked: Tracked[] = [];
const trackedSet = new WeakSet<object>();
let nextQueue = 1;

export function trackQueue(queue: object, source: QueueSource, name: string, read: (queue: object) => QueueReading): number | undefined {
  const rec = activeRecorder();
  // Past the bound new queues go untracked; the sampler prunes dead ones.
  if (!rec || trackedSet.has(queue) || tracked.length >= MAX_TRACKED) return undefined;
  const id = declareQueue(rec, source, name);
  trackedSet.add(queue);
  tracked.push({ id, ref: new WeakRef(queue), read, lastDepth: -1, lastSampleAt: 0 });
  return id;
}

/** A queue whose depths the caller records itself. */
export function declareQueue(rec: Recorder, source: QueueSource, name: string): number {
  const id = nextQueue++;
  rec.write.queueDecl(source, id, rec.now(), rec.intern(name));
  return id;
}

function pruneDead(): void {
  for (let i = tracked.length - 1; i >= 0; i--) if (tracked[i].ref.deref() === undefined) tracked.splice(i, 1);
}

export function recordQueueDepth(rec: Recorder, id: number, reading: QueueReading): void {
  rec.write.queue(id, reading.depth, rec.now(), reading.capacity, reading.active);
}

export function sampleQueues(): void {
  const rec = activeRecorder();
  if (!rec) return;
  const now = rec.now();
  let dead = false;
  for (const q of tracked) {
    const queue = q.ref.deref();
    if (queue === undefined) {
      dead = true;
      continue;
    }
    let reading: QueueReading;
    try {
      reading = q.read(queue);
    } catch {
      continue;
    }
    if (reading.depth === q.lastDepth && now - q.lastSampleAt < RESAMPLE_MS) continue;
    q.lastDepth = reading.depth;
    q.lastSampleAt = now;
    recordQueueDepth(rec, q.id, reading);
  }
  if (dead) pruneDead();
}

function streamName(stream: object, fallback: string): string {
  const path = (stream as { path?: unknown }).path;
  return `${stream.constructor?.name ?? fallback}${typeof path === "string" ? ` ${path}` : ""}`;
}

export function trackWritable(stream: Writable, name = streamName(stream, "Writable")): void {
  trackQueue(stream, "stream", name, (s) => ({ depth: (s as Writable).writableLength, capacity: (s as Writable).writableHighWaterMark }));
}

export function trackReadable(stream: Readable, name = streamName(stream, "Readable")): void {
  trackQueue(stream, "stream", name, (s) => ({ depth: (s as Readable).readableLength, capacity: (s as Readable).readableHighWaterMark }));
}

let streamsPatched = false;

/** Tracking runs inside the program's own write() call: it must never throw there. */
function tryTracking(track: () => void): void {
  try {
    track();
  } catch {
    // An odd stream (a throwing getter) stays untracked.
  }
}

/**
 * Patches stream write/push once; the patch only acts when they return false
 * for a chunk (push(null), the end of a stream, always returns false).
 */
export function watchStreamBackpressure(): void {
  if (streamsPatched) return;
  streamsPatched = true;
  // Fixed parameters rather than a rest array: these run on every write and
  // push of every stream, and both methods treat a missing argument and an
  // undefined one alike.
  const write = Writable.prototype.write;
  Writable.prototype.write = function (this: Writable, chunk: unknown, encoding?: BufferEncoding, callback?: (error?: Error | null) => void) {
    const ok = write.call(this, chunk, encoding as BufferEncoding, callback);
    if (!ok && chunk !== null && !trackedSet.has(this)) tryTracking(() => trackWritable(this));
    return ok;
  } as typeof write;
  const push = Readable.prototype.push;
  Readable.prototype.push = function (this: Readable, chunk: unknown, encoding?: BufferEncoding) {
    const ok = push.call(this, chunk, encoding);
    if (!ok && chunk !== null && !trackedSet.has(this)) tryTracking(() => trackReadable(this));
    return ok;
  } as typeof push;
}
