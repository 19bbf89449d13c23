// What the panel knows about the traced program, built from the runtime's
// trace events. Everything is bounded: past `maxTasks` the oldest tasks go
// (finished ones first) and are counted; blocks, loop samples, warnings and
// queue samples keep their most recent entries. Times are milliseconds on one
// axis shared by all processes (the first process's start is 0).
import { routeOf } from "../../../../runtime/src/block-places";
import type { BatchMessage, BlockEvent, BlockPlacement, CountsEvent, ProcessEvent, SettleState, Site, StackFrame, TaskKind, TraceEvent, WarningCheck, QueueSource } from "../../../../runtime/src/protocol";

export type TaskState = "pending" | SettleState;

export interface Proc {
  index: number;
  pid: number;
  threadId: number;
  info?: ProcessEvent;
  /** Added to a process's own `t` to place it on the shared axis. */
  offset: number;
  counts?: CountsEvent;
  ended?: string;
}

export interface Task {
  key: number;
  proc: Proc;
  id: number;
  parentKey: number;
  kind: TaskKind;
  name: string;
  site?: Site;
  siteText: string;
  created: number;
  ended?: number;
  state: TaskState;
  runs: number;
  busy: number;
  /** The most recent runs as start/duration pairs; older ones only counted in `runs`. */
  recentRuns: number[];
  children: number[];
  /** The lock this task waits for, while it waits. */
  waitingFor?: Lock;
  /** Lower-cased text the filter matches against. */
  search: string;
}

export interface Block {
  proc: Proc;
  t: number;
  dur: number;
  taskKey: number;
  stack: StackFrame[];
  site?: Site;
  /** How the runtime placed `site`: from the stuck stack, or from the task that was running. */
  placedBy?: BlockPlacement;
  /** The request whose handler ran the stretch, by route where the framework names one. */
  request?: string;
}

export interface LoopSample {
  proc: Proc;
  t: number;
  mean: number;
  p99: number;
  max: number;
  utilization: number;
}

interface Hold {
  task: number;
  since: number;
}

export interface Lock {
  key: string;
  proc: Proc;
  name: string;
  source: string;
  holders: Map<number, Hold>;
  waiters: Map<number, Hold>;
  acquisitions: number;
  waitTotal: number;
  waitMax: number;
  holdTotal: number;
  holdMax: number;
  site?: Site;
}

export interface Queue {
  key: string;
  proc: Proc;
  name: string;
  source: QueueSource;
  depth: number;
  maxDepth: number;
  capacity?: number;
  active?: number;
  /** Recent time/depth pairs. */
  samples: number[];
}

/** Warnings of one check at one place, counted together. */
export interface WarningGroup {
  key: string;
  check: WarningCheck;
  site?: Site;
  message: string;
  count: number;
  first: number;
  last: number;
}

export interface Limits {
  maxTasks: number;
  runsPerTask: number;
  childrenPerTask: number;
  blocks: number;
  loopSamples: number;
  queueSamples: number;
  warningGroups: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxTasks: 100_000,
  runsPerTask: 16,
  childrenPerTask: 512,
  blocks: 5_000,
  loopSamples: 20_000,
  queueSamples: 2_000,
  warningGroups: 2_000,
};

const PROC_SHIFT = 2 ** 32;

export function siteText(site: Site | undefined): string {
  if (!site) return "";
  const slash = Math.max(site.file.lastIndexOf("/"), site.file.lastIndexOf("\\"));
  return `${site.file.slice(slash + 1)}:${site.line}`;
}

/** Drops the oldest entries of a list kept at most `max` long, in chunks so the cost is amortised. */
function trim<T>(list: T[], max: number): void {
  if (list.length > max) list.splice(0, list.length - Math.floor(max * 0.9));
}

export class TraceModel {
  readonly procs = new Map<string, Proc>();
  readonly tasks = new Map<number, Task>();
  readonly blocks: Block[] = [];
  readonly loop: LoopSample[] = [];
  readonly locks = new Map<string, Lock>();
  readonly queues = new Map<string, Queue>();
  readonly warnings = new Map<string, WarningGroup>();
  /** Latest time seen on the shared axis. */
  now = 0;
  eventsReceived = 0;
  tasksEvicted = 0;
  /** Events of types this panel does not know (from a newer runtime), and frames refused as malformed. */
  eventsSkipped = 0;
  batchesRejected = 0;
  /** Bumped on every change, so views redraw only when something changed. */
  version = 0;
  /** Bumped when tasks are added or removed, so the table rebuilds its row list. */
  taskSetVersion = 0;
  private origin: number | undefined;

  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  /** Forgets everything, for a new run or a replay from the start. */
  reset(): void {
    for (const collection of [this.procs, this.tasks, this.locks, this.queues, this.warnings]) collection.clear();
    this.blocks.length = 0;
    this.loop.length = 0;
    this.now = this.eventsReceived = this.tasksEvicted = this.eventsSkipped = this.batchesRejected = 0;
    this.origin = undefined;
    this.version++;
    this.taskSetVersion++;
  }

  get dropped(): { ring: number; socket: number; file: number } {
    const total = { ring: 0, socket: 0, file: 0 };
    for (const p of this.procs.values()) {
      if (!p.counts) continue;
      total.ring += p.counts.dropped.ring;
      total.socket += p.counts.dropped.socket;
      total.file += p.counts.dropped.file;
    }
    return total;
  }

  proc(batch: Pick<BatchMessage, "process">): Proc {
    const key = `${batch.process.pid}:${batch.process.threadId}`;
    let p = this.procs.get(key);
    if (!p) this.procs.set(key, (p = { index: this.procs.size + 1, pid: batch.process.pid, threadId: batch.process.threadId, offset: 0 }));
    return p;
  }

  taskKey(proc: Proc, id: number): number {
    return id === 0 ? 0 : proc.index * PROC_SHIFT + id;
  }

  /** Idle time: a task's life so far minus the time its callbacks ran. */
  idle(task: Task): number {
    return Math.max(0, (task.ended ?? this.now) - task.created - task.busy);
  }

  age(task: Task): number {
    return (task.ended ?? this.now) - task.created;
  }

  /** What a pending task waits for: a lock, or its newest child still pending. */
  awaiting(task: Task): string {
    if (task.state !== "pending") return "";
    if (task.waitingFor) return `lock ${task.waitingFor.name}`;
    const child = this.awaitedChild(task);
    return child ? `#${child.id} ${child.name || child.kind}` : "";
  }

  awaitedChild(task: Task): Task | undefined {
    if (task.state !== "pending") return undefined;
    for (let i = task.children.length - 1; i >= 0; i--) {
      const child = this.tasks.get(task.children[i]);
      if (child && child.state === "pending") return child;
    }
    return undefined;
  }

  ingest(proc: Proc, e: TraceEvent): void {
    this.eventsReceived++;
    const t = e.t + proc.offset;
    if (t > this.now) this.now = t;
    switch (e.type) {
      case "process":
        this.startProcess(proc, e);
        break;
      case "task":
        this.addTask(proc, e.id, e.parent, e.kind, e.name, e.site, t);
        break;
      case "run": {
        const task = this.tasks.get(this.taskKey(proc, e.id));
        if (!task) break;
        task.runs++;
        task.busy += e.dur;
        task.recentRuns.push(t, e.dur);
        // Between runsPerTask and twice as many runs kept (two numbers each), trimmed in chunks.
        if (task.recentRuns.length > 4 * this.limits.runsPerTask) task.recentRuns.splice(0, task.recentRuns.length - 2 * this.limits.runsPerTask);
        break;
      }
      case "settle": {
        const task = this.tasks.get(this.taskKey(proc, e.id));
        if (!task) break;
        task.state = e.state;
        task.ended = t;
        break;
      }
      case "loop":
        this.loop.push({ proc, t, mean: e.delay.mean, p99: e.delay.p99, max: e.delay.max, utilization: e.utilization });
        trim(this.loop, this.limits.loopSamples);
        break;
      case "block":
        this.addBlock(proc, e, t);
        break;
      case "lock":
        this.lockEvent(proc, e, t);
        break;
      case "queue": {
        const key = `${proc.index}:${e.queue}`;
        let q = this.queues.get(key);
        if (!q) this.queues.set(key, (q = { key, proc, name: e.name, source: e.source, depth: 0, maxDepth: 0, samples: [] }));
        q.depth = e.depth;
        q.maxDepth = Math.max(q.maxDepth, e.depth);
        q.capacity = e.capacity ?? q.capacity;
        q.active = e.active ?? q.active;
        q.samples.push(t, e.depth);
        if (q.samples.length > 2 * this.limits.queueSamples) q.samples.splice(0, q.samples.length - this.limits.queueSamples);
        break;
      }
      case "warning": {
        const key = `${proc.index}:${e.check}:${e.site ? `${e.site.file}:${e.site.line}` : e.message}`;
        const group = this.warnings.get(key);
        if (group) {
          group.count++;
          group.last = t;
          group.message = e.message;
        } else {
          if (this.warnings.size >= this.limits.warningGroups) this.warnings.delete(this.warnings.keys().next().value!);
          this.warnings.set(key, { key, check: e.check, site: e.site, message: e.message, count: 1, first: t, last: t });
        }
        break;
      }
      case "counts":
        proc.counts = e;
        break;
      case "keyframe":
        // A keyframe brings the tasks opened before the panel joined; those it already knows stay as they are.
        for (const s of e.openTasks) {
          if (this.tasks.has(this.taskKey(proc, s.id))) continue;
          const task = this.addTask(proc, s.id, s.parent, s.kind, s.name, s.site, s.t + proc.offset);
          task.runs = s.runs;
          task.busy = s.busy;
        }
        break;
      case "end":
        proc.ended = e.reason;
        break;
    }
    this.version++;
  }

  ingestBatch(batch: BatchMessage): void {
    const proc = this.proc(batch);
    for (const e of batch.events) this.ingest(proc, e);
  }

  private startProcess(proc: Proc, e: ProcessEvent): void {
    proc.info = e;
    if (this.origin === undefined) this.origin = e.timeOrigin;
    proc.offset = e.timeOrigin - this.origin;
  }

  private addTask(proc: Proc, id: number, parent: number, kind: TaskKind, name: string | undefined, site: Site | undefined, t: number): Task {
    const key = this.taskKey(proc, id);
    const known = this.tasks.get(key);
    if (known) return known;
    const text = siteText(site);
    const task: Task = {
      key,
      proc,
      id,
      parentKey: this.taskKey(proc, parent),
      kind,
      name: name ?? "",
      site,
      siteText: text,
      created: t,
      state: "pending",
      runs: 0,
      busy: 0,
      recentRuns: [],
      children: [],
      search: `#${id} ${kind} ${name ?? ""} ${site ? `${site.file}:${site.line} ${site.fn ?? ""}` : ""}`.toLowerCase(),
    };
    this.tasks.set(key, task);
    const parentTask = this.tasks.get(task.parentKey);
    if (parentTask && parentTask.children.length < this.limits.childrenPerTask) parentTask.children.push(key);
    this.taskSetVersion++;
    if (this.tasks.size > this.limits.maxTasks) this.evict();
    return task;
  }

  /** Down to 90% of the limit: finished tasks first, oldest first; then the oldest pending ones. */
  private evict(): void {
    const target = Math.floor(this.limits.maxTasks * 0.9);
    for (const [key, task] of this.tasks) {
      if (this.tasks.size <= target) break;
      if (task.state !== "pending") this.tasks.delete(key);
    }
    for (const key of this.tasks.keys()) {
      if (this.tasks.size <= target) break;
      this.tasks.delete(key);
    }
    this.tasksEvicted += this.limits.maxTasks + 1 - this.tasks.size;
    this.taskSetVersion++;
  }

  private addBlock(proc: Proc, e: BlockEvent, t: number): void {
    this.blocks.push({ proc, t, dur: e.dur, taskKey: this.taskKey(proc, e.task), stack: e.stack, site: e.site, placedBy: e.placedBy, request: e.route !== undefined ? routeOf(e) : e.request });
    trim(this.blocks, this.limits.blocks);
  }

  private lockEvent(proc: Proc, e: Extract<TraceEvent, { type: "lock" }>, t: number): void {
    const key = `${proc.index}:${e.lock}`;
    let lock = this.locks.get(key);
    if (!lock) {
      lock = { key, proc, name: e.name, source: e.source, holders: new Map(), waiters: new Map(), acquisitions: 0, waitTotal: 0, waitMax: 0, holdTotal: 0, holdMax: 0, site: e.site };
      this.locks.set(key, lock);
    }
    const task = this.tasks.get(this.taskKey(proc, e.task));
    if (e.op === "wait") {
      lock.waiters.set(e.holder, { task: e.task, since: t });
      if (task) task.waitingFor = lock;
    } else if (e.op === "acquire") {
      const wait = lock.waiters.get(e.holder);
      if (wait) {
        lock.waiters.delete(e.holder);
        lock.waitTotal += t - wait.since;
        lock.waitMax = Math.max(lock.waitMax, t - wait.since);
      }
      lock.holders.set(e.holder, { task: e.task, since: t });
      lock.acquisitions++;
      if (task?.waitingFor === lock) task.waitingFor = undefined;
    } else {
      const hold = lock.holders.get(e.holder);
      if (hold) {
        lock.holders.delete(e.holder);
        lock.holdTotal += t - hold.since;
        lock.holdMax = Math.max(lock.holdMax, t - hold.since);
      }
    }
  }
}
