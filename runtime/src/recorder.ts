// The main thread's side of the runtime: ids, sampling, the current task, and
// the ring the collector worker drains. Everything here runs inside the host
// program's callbacks, so it only writes numbers; a string (rare: sites,
// names, sampled request lines) goes to the shared arena, announced by a
// record ahead of the records that refer to it.
import { performance } from "node:perf_hooks";
import { Rec, RingWriter } from "./ring";
import { captureSite } from "./sites";
import type { StringWriter } from "./strings";
import type { LoopEvent } from "./protocol";

/**
 * Slots shared with the collector: last heartbeat tick (epoch ms), running
 * task id, and the root counts, published on each sampled root and each tick
 * so they stay current through a long synchronous stretch.
 */
export const HB_TICK = 0;
export const HB_TASK = 1;
export const HB_ROOTS_SEEN = 2;
export const HB_ROOTS_SAMPLED = 3;
/**
 * The last gap between ticks long enough to be a block, as seen by the main
 * thread itself: a watchdog that was not yet running (a program that blocks
 * and exits within its first moments) still learns of it.
 */
export const HB_GAP_START = 4;
export const HB_GAP_END = 5;
export const HEARTBEAT_BYTES = 6 * 8;

/** Interned strings are capped: past this, names and sites are left out rather than grow. */
const MAX_INTERNED = 50_000;

/** Event-loop health over a window: the protocol's loop event, before it is one. */
export type LoopHealth = Omit<LoopEvent, "type">;

export interface RecorderOptions {
  /** Record 1 root in this many. */
  sampleEvery: number;
  /** At most this many sampled roots a second (0: no limit), whatever the program's rate of roots. */
  sampledPerSecond: number;
  /** Stack captures earned per heartbeat tick... */
  sitesPerTick: number;
  /** ...and saved up to this many, so a burst after a quiet spell (one request) gets all its sites. */
  siteBurst: number;
  /** A gap between heartbeat ticks longer than this is a block. */
  gapMs: number;
}

/** The sampling budget is spread over windows this long, so a burst cannot spend a whole second's. */
const RATE_WINDOW_MS = 100;

export class Recorder {
  /** Running sampled task, 0 when none is (or it was not sampled). */
  current = 0;
  /** The sampled request the running task belongs to, 0 if none. */
  scope = 0;
  rootsSeen = 0;
  rootsSampled = 0;
  /** Stack captures allowed now. */
  siteBudget: number;

  private nextTask = 1;
  private countdown = 1;
  private requestCountdown = 1;
  private nextString = 1;
  /** performance.timeOrigin is a getter that costs more than the clock read. */
  private readonly epochOrigin = performance.timeOrigin;
  private windowEnd = 0;
  private windowLeft = 0;
  private readonly perWindow: number;
  private readonly interned = new Map<string, number>();

  constructor(
    private readonly ring: RingWriter,
    private readonly strings: StringWriter,
    readonly heartbeat: Float64Array,
    private readonly o: RecorderOptions,
  ) {
    this.siteBudget = o.siteBurst;
    this.perWindow = Math.max(1, Math.round((o.sampledPerSecond * RATE_WINDOW_MS) / 1000));
  }

  now(): number {
    return performance.now();
  }

  /**
   * Counts a root task and says whether to record it: 1 in `sampleEvery`,
   * starting with the first, within the rate limit. The limit is what keeps
   * the cost flat under a flood of roots (a loop of a million awaits): past
   * it, recording costs the same whatever the program's rate.
   */
  sampleRoot(): boolean {
    this.rootsSeen++;
    if (--this.countdown > 0) return false;
    this.countdown = this.o.sampleEvery;
    return this.sampled();
  }

  /**
   * The same for requests, on a counter of their own: promise roots far
   * outnumber requests and would otherwise decide which requests get recorded.
   */
  sampleRequest(): boolean {
    this.rootsSeen++;
    if (--this.requestCountdown > 0) return false;
    this.requestCountdown = this.o.sampleEvery;
    return this.sampled();
  }

  private sampled(): boolean {
    if (this.o.sampledPerSecond > 0) {
      const now = performance.now();
      if (now >= this.windowEnd) {
        this.windowEnd = now + RATE_WINDOW_MS;
        this.windowLeft = this.perWindow;
      }
      if (this.windowLeft <= 0) return false;
      this.windowLeft--;
    }
    this.rootsSampled++;
    this.publishCounts();
    return true;
  }

  /** Stamps the heartbeat; returns the milliseconds since the last stamp (0 for the first). */
  beat(): number {
    const now = this.epochOrigin + performance.now();
    const last = this.heartbeat[HB_TICK];
    if (last !== 0 && now - last > this.o.gapMs) {
      this.heartbeat[HB_GAP_START] = last;
      this.heartbeat[HB_GAP_END] = now;
    }
    this.heartbeat[HB_TICK] = now;
    return last === 0 ? 0 : now - last;
  }

  /** A new heartbeat period: more stack captures are allowed. */
  refillSites(): void {
    this.siteBudget = Math.min(this.o.siteBurst, this.siteBudget + this.o.sitesPerTick);
  }

  publishCounts(): void {
    this.heartbeat[HB_ROOTS_SEEN] = this.rootsSeen;
    this.heartbeat[HB_ROOTS_SAMPLED] = this.rootsSampled;
  }

  newTaskId(): number {
    return this.nextTask++;
  }

  setCurrent(id: number, scope: number): void {
    this.current = id;
    this.scope = scope;
    this.heartbeat[HB_TASK] = id;
  }

  /** String id for a value that recurs (a site, a lock name); 0 once the table is full, or the string could not be sent. */
  intern(value: string): number {
    let id = this.interned.get(value);
    if (id !== undefined) return id;
    if (this.interned.size >= MAX_INTERNED) return 0;
    id = this.nextString++;
    // Remembered only once sent, so a string lost to a full ring is sent again next time.
    if (!this.send(id, value)) return 0;
    this.interned.set(value, id);
    return id;
  }

  /** String id for a one-off value (an HTTP request line); the worker forgets it after use. */
  once(value: string): number {
    const id = -this.nextString++;
    return this.send(id, value) ? id : 0;
  }

  private send(id: number, value: string): boolean {
    const slot = this.strings.write(value);
    return slot !== undefined && this.ring.write(Rec.String, id, slot.start, 0, slot.length, 0);
  }

  /**
   * A creation site's string id, if the budget allows a stack capture now.
   * `hook` is the function the runtime was entered through: the capture
   * starts below it.
   */
  site(hook: (...args: never[]) => unknown): number {
    if (this.siteBudget <= 0) return 0;
    this.siteBudget--;
    const site = captureSite(undefined, hook);
    return site === undefined ? 0 : this.intern(site);
  }

  /** A site captured regardless of the budget, for rarer events such as lock waits. */
  rawSite(skipPackages?: string): string | undefined {
    return captureSite(skipPackages);
  }

  record(s0: number, s1: number, s2: number, s3: number, s4: number, s5: number): void {
    this.ring.write(s0, s1, s2, s3, s4, s5);
  }

  task(kind: number, id: number, parent: number, name: number, site: number): void {
    this.ring.write(Rec.Task | (kind << 4), id, parent, performance.now(), name, site);
  }

  /** Two records, one event: the collector pairs them. */
  loop(health: LoopHealth): void {
    const { delay } = health;
    if (this.ring.write(Rec.Loop, health.windowMs, delay.min, health.t, delay.max, delay.mean)) {
      this.ring.write(Rec.LoopMore, delay.p50, delay.p90, delay.p99, health.utilization, 0);
    }
  }
}
