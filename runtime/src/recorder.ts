// The main thread's side of the runtime: ids, sampling, the current task, and
// the ring the collector worker drains. Everything here runs inside the host
// program's callbacks, so it only writes numbers; a string (rare: sites,
// names, sampled request lines, and the request line of a handler that ran
// past the block threshold) goes to the shared arena, announced by a
// record ahead of the records that refer to it.
import { performance } from "node:perf_hooks";
import type { RingWriter } from "./ring";
import { HB_ROOTS_SAMPLED, HB_ROOTS_SEEN, HB_TASK, HB_TICK, RecordWriter } from "./shared-memory";
import { captureSite } from "./sites";
import type { StringWriter } from "./strings";

/** Interned strings are capped: past this, names and sites are left out rather than grow. */
const MAX_INTERNED = 50_000;

export interface RecorderOptions {
  /** Record 1 root in this many. */
  sampleEvery: number;
  /** At most this many sampled roots a second (0: no limit), whatever the program's rate of roots. */
  sampledPerSecond: number;
  /** Stack captures earned per heartbeat tick... */
  sitesPerTick: number;
  /** ...and saved up to this many, so a burst after a quiet spell (one request) gets all its sites. */
  siteBurst: number;
  /** A callback that runs longer than this is a block... */
  blockMs: number;
  /** ...and so is a gap between heartbeat ticks longer than this (the threshold plus a tick). */
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
  readonly write: RecordWriter;

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
  /** When the running sampled callback started. */
  private runStartedAt = 0;

  constructor(
    ring: RingWriter,
    private readonly strings: StringWriter,
    readonly heartbeat: Float64Array,
    private readonly o: RecorderOptions,
  ) {
    this.write = new RecordWriter(ring);
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

  /**
   * Stamps the heartbeat; returns the milliseconds since the last stamp (0 for
   * the first). A gap long enough to be a block goes into the ring, one
   * record per gap, so back-to-back blocks are each counted, and a collector
   * that was not yet watching (a program that blocks in its first moments)
   * still learns of them.
   */
  beat(): number {
    const now = this.epochOrigin + performance.now();
    const last = this.heartbeat[HB_TICK];
    if (last !== 0 && now - last > this.o.gapMs) this.write.gap(last - this.epochOrigin, now - this.epochOrigin, this.current);
    this.heartbeat[HB_TICK] = now;
    return last === 0 ? 0 : now - last;
  }

  /** A sampled task's callback starts running. */
  startRun(id: number, scope: number): void {
    this.setCurrent(id, scope);
    const t = performance.now();
    this.runStartedAt = t;
    this.write.runStart(id, t);
  }

  /** ...and ends; one that ran past the block threshold is recorded as such, with its task. */
  endRun(id: number): void {
    const t = performance.now();
    this.write.runEnd(id, t);
    if (t - this.runStartedAt > this.o.blockMs) this.write.longRun(this.runStartedAt, t, id, 0, 0);
    this.setCurrent(0, 0);
  }

  get blockMs(): number {
    return this.o.blockMs;
  }

  /** A synchronous stretch from `start` to now that ran past the block threshold, with the request it served. */
  longRun(start: number, task: number, request: string, route: string | undefined): void {
    this.write.longRun(start, performance.now(), task, this.once(request), route === undefined ? 0 : this.once(route));
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
    return slot !== undefined && this.write.string(id, slot.start, slot.length);
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
}
