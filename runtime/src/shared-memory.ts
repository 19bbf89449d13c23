// The contract between the program's thread and the collector thread, in one
// place: the heartbeat's slots, the control words, and the ring's records
// with one typed writer each (the collector's decoder reads them back in
// worker/records.ts). Enumerated fields travel as their index in the
// protocol's const arrays, so the two threads share the arrays, not copies.
import { LOCK_OPS, QUEUE_SOURCES, SETTLE_STATES, TASK_KINDS, type LockOp, type LoopEvent, type QueueSource, type SettleState, type TaskKind } from "./protocol";
import type { RingWriter } from "./ring";

/**
 * Heartbeat slots (Float64): the last tick (epoch ms), the running sampled
 * task, and the root counts, published on each sampled root and each tick so
 * they stay current through a long synchronous stretch.
 */
export const HB_TICK = 0;
export const HB_TASK = 1;
export const HB_ROOTS_SEEN = 2;
export const HB_ROOTS_SAMPLED = 3;
export const HEARTBEAT_BYTES = 4 * 8;

/** Control slots (Int32): the main thread asks for a final flush, the collector says it is done. */
export const CTRL_STOP = 0;
export const CTRL_DONE = 1;
export const CONTROL_BYTES = 2 * 4;

/** Record types: the low 4 bits of slot 0; the rest of slot 0 is an enumerated field's index. */
export const enum Rec {
  Task = 1, // [type|kind<<4, id, parent, t, nameString, siteString]
  RunStart = 2, // [type, id, 0, t]
  RunEnd = 3, // [type, id, 0, t]
  Settle = 4, // [type|state<<4, id, 1 if aborted else 0, t]
  LockDecl = 5, // [type, lock, sourceString, t, nameString]
  Lock = 6, // [type|op<<4, lock, holder, t, task, siteString]
  QueueDecl = 7, // [type|source<<4, queue, 0, t, nameString]
  Queue = 8, // [type, queue, depth, t, capacity or -1, active or -1]
  String = 9, // [type, stringId, arena start, 0, byte length]
  Loop = 10, // [type, windowMs, min, t, max, mean]: event-loop health, then LoopMore
  LoopMore = 11, // [type, p50, p90, p99, utilization]
  Gap = 12, // [type, task running at the end, 0, t (end), start]: the heartbeat stalled past the block threshold
  LongRun = 13, // [type, task or 0, requestString, t (end), start, routeString]: one callback ran past the block threshold
}

const codes = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v, i) => [v, i])) as Record<T, number>;
const TASK_KIND = codes(TASK_KINDS);
const SETTLE_STATE = codes(SETTLE_STATES);
const LOCK_OP = codes(LOCK_OPS);
const QUEUE_SOURCE = codes(QUEUE_SOURCES);

/** Event-loop health over a window: the protocol's loop event, before it is one. */
export type LoopHealth = Omit<LoopEvent, "type">;

/**
 * One method per record. Times are the main thread's performance.now();
 * strings are ids from the arena's String records (0: none). Each returns
 * false when the ring was full and the record was dropped (and counted).
 */
export class RecordWriter {
  constructor(private readonly ring: RingWriter) {}

  string(id: number, start: number, length: number): boolean {
    return this.ring.write(Rec.String, id, start, 0, length, 0);
  }

  task(kind: TaskKind, id: number, parent: number, t: number, name: number, site: number): void {
    this.ring.write(Rec.Task | (TASK_KIND[kind] << 4), id, parent, t, name, site);
  }

  runStart(id: number, t: number): void {
    this.ring.write(Rec.RunStart, id, 0, t, 0, 0);
  }

  runEnd(id: number, t: number): void {
    this.ring.write(Rec.RunEnd, id, 0, t, 0, 0);
  }

  settle(id: number, state: SettleState, aborted: boolean, t: number): void {
    this.ring.write(Rec.Settle | (SETTLE_STATE[state] << 4), id, aborted ? 1 : 0, t, 0, 0);
  }

  lockDecl(lock: number, source: number, t: number, name: number): void {
    this.ring.write(Rec.LockDecl, lock, source, t, name, 0);
  }

  lock(op: LockOp, lock: number, holder: number, t: number, task: number, site: number): void {
    this.ring.write(Rec.Lock | (LOCK_OP[op] << 4), lock, holder, t, task, site);
  }

  queueDecl(source: QueueSource, queue: number, t: number, name: number): void {
    this.ring.write(Rec.QueueDecl | (QUEUE_SOURCE[source] << 4), queue, 0, t, name, 0);
  }

  queue(queue: number, depth: number, t: number, capacity: number | undefined, active: number | undefined): void {
    this.ring.write(Rec.Queue, queue, depth, t, capacity ?? -1, active ?? -1);
  }

  /** Two records, one event: the collector pairs them. */
  loop(health: LoopHealth): void {
    const { delay } = health;
    if (this.ring.write(Rec.Loop, health.windowMs, delay.min, health.t, delay.max, delay.mean)) {
      this.ring.write(Rec.LoopMore, delay.p50, delay.p90, delay.p99, health.utilization, 0);
    }
  }

  gap(start: number, end: number, task: number): void {
    this.ring.write(Rec.Gap, task, 0, end, start, 0);
  }

  longRun(start: number, end: number, task: number, request: number, route: number): void {
    this.ring.write(Rec.LongRun, task, request, end, start, route);
  }
}
