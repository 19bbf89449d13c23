// Turns ring records, and the strings they announce, into protocol events
// (and the main thread's long stretches, which the watchdog makes blocks of).
import { LOCK_OPS, QUEUE_SOURCES, SETTLE_STATES, TASK_KINDS, type LockEvent, type LoopEvent, type QueueEvent, type SettleEvent, type Site, type TraceEvent } from "../protocol";
import { Rec } from "../shared-memory";
import type { StringReader } from "../strings";
import type { Stretch } from "./watchdog";
import { parseRawSite } from "./source-sites";

const MAX_TRANSIENT = 10_000;
/** Lock and queue names kept; the oldest go first (an evicted one reads "lock N"). */
const MAX_DECLARED = 20_000;

const micros = (ms: number) => Math.round(ms * 1000) / 1000;

export class RecordDecoder {
  private readonly strings = new Map<number, string>();
  /** One-off strings; bounded, since a record that would have used one can be dropped with a full ring. */
  private readonly transient = new Map<number, string>();
  private readonly sites = new Map<number, Site | undefined>();
  private readonly locks = new Map<number, { name: string; source: string }>();
  private readonly queues = new Map<number, { name: string; source: QueueEvent["source"] }>();
  private readonly runStarts = new Map<number, number>();
  /** The first half of a loop event, until its second record arrives. */
  private loop?: LoopEvent;

  constructor(private readonly arena: StringReader) {}

  private addString(id: number, value: string): void {
    if (id > 0) {
      this.strings.set(id, value);
      return;
    }
    this.transient.set(id, value);
    if (this.transient.size > MAX_TRANSIENT) this.transient.delete(this.transient.keys().next().value!);
  }

  /** Strings with negative ids are used once and then forgotten. */
  private string(id: number): string | undefined {
    if (id >= 0) return id === 0 ? undefined : this.strings.get(id);
    const value = this.transient.get(id);
    this.transient.delete(id);
    return value;
  }

  private site(id: number): Site | undefined {
    if (id === 0) return undefined;
    if (this.sites.has(id)) return this.sites.get(id);
    const raw = this.strings.get(id);
    const site = raw === undefined ? undefined : parseRawSite(raw);
    this.sites.set(id, site);
    return site;
  }

  decode(s: Float64Array, at: number): TraceEvent | Stretch | undefined {
    const head = s[at] | 0;
    const type = head & 15;
    const code = head >> 4;
    const id = s[at + 1];
    // Microseconds are plenty, and short numbers are much cheaper to serialise.
    const t = micros(s[at + 3]);
    const loop = this.loop;
    this.loop = undefined;
    switch (type) {
      case Rec.String: {
        const value = this.arena.read(s[at + 2], s[at + 4]);
        if (value !== undefined) this.addString(id, value);
        return undefined;
      }
      case Rec.Loop:
        this.loop = { type: "loop", t, windowMs: s[at + 1], delay: { min: s[at + 2], max: s[at + 4], mean: s[at + 5], p50: 0, p90: 0, p99: 0 }, utilization: 0 };
        return undefined;
      case Rec.LoopMore:
        // Without its first half (dropped with a full ring) the event is incomplete: left out.
        if (loop === undefined) return undefined;
        loop.delay.p50 = s[at + 1];
        loop.delay.p90 = s[at + 2];
        loop.delay.p99 = s[at + 3];
        loop.utilization = s[at + 4];
        return loop;
      case Rec.Task: {
        const name = this.string(s[at + 4]);
        const site = this.site(s[at + 5]);
        return { type: "task", t, id, parent: s[at + 2], kind: TASK_KINDS[code] ?? "other", ...(name !== undefined ? { name } : {}), ...(site ? { site } : {}) };
      }
      case Rec.RunStart:
        this.runStarts.set(id, t);
        // A run whose end was dropped with a full ring would otherwise stay forever.
        if (this.runStarts.size > 100_000) this.runStarts.delete(this.runStarts.keys().next().value!);
        return undefined;
      case Rec.RunEnd: {
        const start = this.runStarts.get(id);
        if (start === undefined) return undefined;
        this.runStarts.delete(id);
        return { type: "run", t: start, id, dur: micros(t - start) };
      }
      case Rec.Settle: {
        // No forgetting the task's run here: a then() or await promise
        // settles inside its own run, with the handler's result.
        const settle: SettleEvent = { type: "settle", t, id, state: SETTLE_STATES[code] ?? "fulfilled" };
        if (s[at + 2] === 1) settle.aborted = true;
        return settle;
      }
      case Rec.LockDecl:
        this.locks.set(id, { source: this.string(s[at + 2]) ?? "?", name: this.string(s[at + 4]) ?? `lock ${id}` });
        if (this.locks.size > MAX_DECLARED) this.locks.delete(this.locks.keys().next().value!);
        return undefined;
      case Rec.Lock: {
        const lock = this.locks.get(id) ?? { name: `lock ${id}`, source: "?" };
        const site = this.site(s[at + 5]);
        const event: LockEvent = { type: "lock", t, lock: id, name: lock.name, source: lock.source, op: LOCK_OPS[code] ?? "wait", holder: s[at + 2], task: s[at + 4] };
        if (site) event.site = site;
        return event;
      }
      case Rec.QueueDecl:
        this.queues.set(id, { source: QUEUE_SOURCES[code] ?? "resource", name: this.string(s[at + 4]) ?? `queue ${id}` });
        if (this.queues.size > MAX_DECLARED) this.queues.delete(this.queues.keys().next().value!);
        return undefined;
      case Rec.Queue: {
        const queue = this.queues.get(id) ?? { name: `queue ${id}`, source: "resource" as const };
        const event: QueueEvent = { type: "queue", t, queue: id, name: queue.name, source: queue.source, depth: s[at + 2] };
        if (s[at + 4] >= 0) event.capacity = s[at + 4];
        if (s[at + 5] >= 0) event.active = s[at + 5];
        return event;
      }
      case Rec.Gap:
        return { type: "stretch", gap: true, start: micros(s[at + 4]), end: t, task: id };
      case Rec.LongRun: {
        const stretch: Stretch = { type: "stretch", gap: false, start: micros(s[at + 4]), end: t, task: id };
        const request = this.string(s[at + 2]);
        const route = this.string(s[at + 5]);
        if (request !== undefined) stretch.request = request;
        if (route !== undefined) stretch.route = route;
        return stretch;
      }
      default:
        return undefined;
    }
  }
}
