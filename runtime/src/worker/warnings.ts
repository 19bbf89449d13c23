// Runtime warnings, one small check each (after tokio-console's `Warn`): a
// check looks at an event as it passes or at the live state on a timer, and
// says what is wrong in a sentence. Each subject is warned about once.
import type { Site, TraceEvent, WarningCheck, WarningEvent } from "../protocol";
import type { LiveState } from "./live-state";

export interface WarnThresholds {
  blockThresholdMs: number;
  neverSettledMs: number;
  lockWaitMs: number;
  lockHoldMs: number;
  queueWindowMs: number;
}

export interface Warn {
  readonly check: WarningCheck;
  /** Warnings raised by one event as it is recorded. */
  onEvent?(e: TraceEvent, state: LiveState): WarningEvent[];
  /** Warnings raised by something that has been going on too long. */
  poll?(state: LiveState, now: number): WarningEvent[];
  /** One line for a list of `count` warnings of this kind. */
  summary(count: number): string;
}

const ms = (n: number) => `${Math.round(n)} ms`;
export const formatSite = (site: Site | undefined) => (site ? `${site.file}:${site.line}` : "an unknown site");

/** Remembers which subjects were already warned about, within a bound. */
class Once {
  private readonly seen = new Set<string>();
  first(key: string): boolean {
    if (this.seen.has(key)) return false;
    if (this.seen.size >= 10_000) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(key);
    return true;
  }
  forget(key: string): void {
    this.seen.delete(key);
  }
}

class BlockWarn implements Warn {
  readonly check = "block" as const;
  constructor(private readonly t: WarnThresholds) {}
  onEvent(e: TraceEvent): WarningEvent[] {
    if (e.type !== "block" || e.dur < this.t.blockThresholdMs) return [];
    return [{ type: "warning", t: e.t, check: this.check, message: `blocked the event loop for ${ms(e.dur)} at ${formatSite(e.site)}${e.request !== undefined ? ` handling ${e.request}` : ""}`, ...(e.site ? { site: e.site } : {}), ...(e.task ? { task: e.task } : {}) }];
  }
  summary(count: number) {
    return `${count} block(s) over ${ms(this.t.blockThresholdMs)}`;
  }
}

class NeverSettledWarn implements Warn {
  readonly check = "never-settled" as const;
  private readonly once = new Once();
  constructor(private readonly t: WarnThresholds) {}
  poll(state: LiveState, now: number): WarningEvent[] {
    const out: WarningEvent[] = [];
    // Parent links follow triggers (the awaited promise, the running
    // callback), so a settled parent alone proves nothing; what outlives its
    // operation is a promise still pending after the request it came from ended.
    for (const task of state.tasks.values()) {
      if (task.kind !== "promise" || task.parent === 0) continue;
      const root = state.rootOf(task.parent);
      if (!root || root.kind === "promise" || root.settledAt === undefined) continue;
      if (now - root.settledAt < this.t.neverSettledMs || !this.once.first(String(task.id))) continue;
      out.push({
        type: "warning",
        t: now,
        check: this.check,
        message: `promise created at ${formatSite(task.site)} still pending ${ms(now - root.settledAt)} after its ${root.kind} task ${root.id} finished`,
        task: task.id,
        ...(task.site ? { site: task.site } : {}),
      });
    }
    return out;
  }
  summary(count: number) {
    return `${count} promise(s) still pending ${ms(this.t.neverSettledMs)} after the request they came from finished`;
  }
}

class LockWaitWarn implements Warn {
  readonly check = "lock-wait" as const;
  private readonly once = new Once();
  constructor(private readonly t: WarnThresholds) {}
  poll(state: LiveState, now: number): WarningEvent[] {
    const out: WarningEvent[] = [];
    for (const lock of state.locks.values()) {
      for (const [holder, since] of lock.waiting) {
        if (now - since < this.t.lockWaitMs || !this.once.first(`${lock.lock}:${holder}`)) continue;
        out.push({ type: "warning", t: now, check: this.check, message: `waited ${ms(now - since)} (and counting) for lock ${lock.name}`, lock: lock.lock });
      }
    }
    return out;
  }
  onEvent(e: TraceEvent, state: LiveState): WarningEvent[] {
    if (e.type !== "lock" || e.op !== "acquire") return [];
    const since = state.locks.get(e.lock)?.waiting.get(e.holder);
    if (since === undefined || e.t - since < this.t.lockWaitMs || !this.once.first(`${e.lock}:${e.holder}`)) return [];
    return [{ type: "warning", t: e.t, check: this.check, message: `waited ${ms(e.t - since)} for lock ${e.name} at ${formatSite(e.site)}`, lock: e.lock, ...(e.site ? { site: e.site } : {}) }];
  }
  summary(count: number) {
    return `${count} lock wait(s) over ${ms(this.t.lockWaitMs)}`;
  }
}

class LockHeldAcrossAwaitWarn implements Warn {
  readonly check = "lock-held-across-await" as const;
  private readonly once = new Once();
  constructor(private readonly t: WarnThresholds) {}
  // Async locks are released in a later turn than they are acquired, so a hold
  // this long spans awaits; a synchronous hold that long would be a block.
  poll(state: LiveState, now: number): WarningEvent[] {
    const out: WarningEvent[] = [];
    for (const lock of state.locks.values()) {
      for (const [holder, since] of lock.holding) {
        if (now - since < this.t.lockHoldMs || !this.once.first(`${lock.lock}:${holder}`)) continue;
        out.push({ type: "warning", t: now, check: this.check, message: `lock ${lock.name} held across awaits for ${ms(now - since)} (and counting)`, lock: lock.lock });
      }
    }
    return out;
  }
  onEvent(e: TraceEvent, state: LiveState): WarningEvent[] {
    if (e.type !== "lock" || e.op !== "release") return [];
    const since = state.locks.get(e.lock)?.holding.get(e.holder);
    if (since === undefined || e.t - since < this.t.lockHoldMs || !this.once.first(`${e.lock}:${e.holder}`)) return [];
    return [{ type: "warning", t: e.t, check: this.check, message: `lock ${e.name} held across awaits for ${ms(e.t - since)}`, lock: e.lock, ...(e.site ? { site: e.site } : {}) }];
  }
  summary(count: number) {
    return `${count} lock hold(s) across awaits over ${ms(this.t.lockHoldMs)}`;
  }
}

class QueueGrowingWarn implements Warn {
  readonly check = "queue-growing" as const;
  private readonly once = new Once();
  constructor(private readonly t: WarnThresholds) {}
  poll(state: LiveState, now: number): WarningEvent[] {
    const out: WarningEvent[] = [];
    for (const queue of state.queues.values()) {
      const key = String(queue.queue);
      const bound = queue.capacity ?? 0;
      if (queue.depth <= bound) {
        this.once.forget(key);
        continue;
      }
      const window = queue.samples.filter((s) => s.t >= now - this.t.queueWindowMs);
      if (window.length < 3 || window[window.length - 1].t - window[0].t < this.t.queueWindowMs * 0.6) continue;
      let rising = 0;
      for (let i = 1; i < window.length; i++) if (window[i].depth >= window[i - 1].depth) rising++;
      const first = window[0].depth;
      const last = window[window.length - 1].depth;
      if (last <= first || rising < (window.length - 1) * 0.75 || !this.once.first(key)) continue;
      out.push({
        type: "warning",
        t: now,
        check: this.check,
        message: `queue ${queue.name} grew from ${first} to ${last} over ${ms(window[window.length - 1].t - window[0].t)}${queue.capacity !== undefined ? ` (bound ${queue.capacity})` : ""}`,
        queue: queue.queue,
      });
    }
    return out;
  }
  summary(count: number) {
    return `${count} queue(s) growing over ${ms(this.t.queueWindowMs)}`;
  }
}

export function allWarnings(t: WarnThresholds): Warn[] {
  return [new BlockWarn(t), new NeverSettledWarn(t), new LockWaitWarn(t), new LockHeldAcrossAwaitWarn(t), new QueueGrowingWarn(t)];
}
