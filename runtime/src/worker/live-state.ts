// What the collector knows right now: open tasks, locks, queues. It feeds the
// warning checks and the keyframes, and every table in it is bounded: when one
// is full the oldest entries go and are counted, so state never grows with the
// host program's age.
import type { KeyframeEvent, LockEvent, QueueEvent, QueueSource, Site, TaskEvent, TaskKind, TaskSnapshot, TraceEvent } from "../protocol";

export type OpenTask = TaskSnapshot;

export interface LockState {
  lock: number;
  name: string;
  source: string;
  waiting: Map<number, number>; // holder → wait start
  holding: Map<number, number>; // holder → acquire time
}

export interface QueueState {
  queue: number;
  name: string;
  source: QueueSource;
  depth: number;
  capacity?: number;
  samples: { t: number; depth: number }[];
}

export interface Limits {
  maxOpenTasks: number;
  maxSettled: number;
  maxKeyframeTasks: number;
  queueWindowMs: number;
}

/** Locks can come and go without end (async-lock keys); idle ones are forgotten past this. */
const MAX_LOCKS = 10_000;

function evictOldest<K, V>(map: Map<K, V>, max: number): number {
  let evicted = 0;
  while (map.size > max) {
    map.delete(map.keys().next().value as K);
    evicted++;
  }
  return evicted;
}

export class LiveState {
  readonly tasks = new Map<number, OpenTask>();
  /** Recently settled tasks, so a pending task can still find its ancestors. */
  readonly settled = new Map<number, { t: number; parent: number; kind: TaskKind; name?: string; site?: Site }>();
  readonly locks = new Map<number, LockState>();
  readonly queues = new Map<number, QueueState>();
  tasksEvicted = 0;

  constructor(private readonly limits: Limits) {}

  apply(e: TraceEvent): void {
    switch (e.type) {
      case "task":
        this.addTask(e);
        break;
      case "run": {
        const task = this.tasks.get(e.id);
        if (task) {
          task.runs++;
          task.busy += e.dur;
        }
        break;
      }
      case "settle": {
        const task = this.tasks.get(e.id);
        if (!task) break;
        this.tasks.delete(e.id);
        this.settled.set(e.id, { t: e.t, parent: task.parent, kind: task.kind, ...(task.name !== undefined ? { name: task.name } : {}), ...(task.site ? { site: task.site } : {}) });
        evictOldest(this.settled, this.limits.maxSettled);
        break;
      }
      case "lock":
        this.applyLock(e);
        break;
      case "queue":
        this.applyQueue(e);
        break;
      default:
        break;
    }
  }

  private addTask(e: TaskEvent): void {
    const task: OpenTask = { id: e.id, parent: e.parent, kind: e.kind as TaskKind, t: e.t, runs: 0, busy: 0 };
    if (e.name !== undefined) task.name = e.name;
    if (e.site !== undefined) task.site = e.site;
    this.tasks.set(e.id, task);
    this.tasksEvicted += evictOldest(this.tasks, this.limits.maxOpenTasks);
  }

  private applyLock(e: LockEvent): void {
    let lock = this.locks.get(e.lock);
    if (!lock) {
      lock = { lock: e.lock, name: e.name, source: e.source, waiting: new Map(), holding: new Map() };
      this.locks.set(e.lock, lock);
      if (this.locks.size > MAX_LOCKS) this.forgetIdleLock();
    }
    if (e.op === "wait") lock.waiting.set(e.holder, e.t);
    else if (e.op === "acquire") {
      lock.waiting.delete(e.holder);
      lock.holding.set(e.holder, e.t);
    } else {
      lock.waiting.delete(e.holder);
      lock.holding.delete(e.holder);
    }
  }

  private forgetIdleLock(): void {
    for (const [id, lock] of this.locks) {
      if (lock.waiting.size === 0 && lock.holding.size === 0) {
        this.locks.delete(id);
        return;
      }
    }
  }

  private applyQueue(e: QueueEvent): void {
    let queue = this.queues.get(e.queue);
    if (!queue) {
      queue = { queue: e.queue, name: e.name, source: e.source, depth: e.depth, samples: [] };
      this.queues.set(e.queue, queue);
    }
    queue.depth = e.depth;
    if (e.capacity !== undefined) queue.capacity = e.capacity;
    queue.samples.push({ t: e.t, depth: e.depth });
    const horizon = e.t - this.limits.queueWindowMs * 1.5;
    while (queue.samples.length > 0 && queue.samples[0].t < horizon) queue.samples.shift();
  }

  /**
   * Where a task comes from, as far as its chain is still known: the nearest
   * creation site up the chain (a capture can be rationed away), and the
   * request at its root, if it served one.
   */
  originOf(id: number): { site?: Site; request?: string } {
    const origin: { site?: Site; request?: string } = {};
    for (let depth = 0; depth < 1000 && id !== 0; depth++) {
      const node = this.tasks.get(id) ?? this.settled.get(id);
      if (!node) break;
      origin.site ??= node.site;
      if (node.kind === "http" && node.name !== undefined) origin.request = node.name;
      id = node.parent;
    }
    return origin;
  }

  /** The root a task descends from, if its chain is still known. */
  rootOf(id: number): { id: number; kind: TaskKind; settledAt?: number } | undefined {
    for (let depth = 0; depth < 1000; depth++) {
      const open = this.tasks.get(id);
      const done = open ? undefined : this.settled.get(id);
      const node = open ?? done;
      if (!node) return undefined;
      if (node.parent === 0) return { id, kind: node.kind, ...(done ? { settledAt: done.t } : {}) };
      id = node.parent;
    }
    return undefined;
  }

  keyframe(t: number): KeyframeEvent {
    const openTasks: TaskSnapshot[] = [];
    for (const task of this.tasks.values()) {
      if (openTasks.length >= this.limits.maxKeyframeTasks) break;
      openTasks.push({ ...task });
    }
    return {
      type: "keyframe",
      t,
      openTasks,
      openTasksOmitted: this.tasks.size - openTasks.length + this.tasksEvicted,
      locks: [...this.locks.values()].map((l) => ({ lock: l.lock, name: l.name, source: l.source, holders: [...l.holding.keys()], waiters: [...l.waiting.keys()] })),
      queues: [...this.queues.values()].map((q) => ({ queue: q.queue, name: q.name, source: q.source, depth: q.depth, ...(q.capacity !== undefined ? { capacity: q.capacity } : {}) })),
    };
  }
}
