// The main thread's timer: stamps the heartbeat the watchdog reads, refills
// the stack-capture budget, publishes root counts, samples tracked queues, and
// once a second sends event-loop health (delay histogram, utilisation). The
// delay histogram is fed from this timer's own intervals, as Node's
// monitorEventLoopDelay feeds its from a timer of its own: one wake-up a
// tick instead of two (each wake-up costs more than the work it does).
import { createHistogram, performance } from "node:perf_hooks";
import type { Recorder } from "./recorder";

export const TICK_MS = 10;
const QUEUE_EVERY_TICKS = 10;
const LOOP_WINDOW_MS = 1000;

export function startHeartbeat(rec: Recorder, sampleQueues: () => void): () => void {
  const delay = createHistogram();
  let elu = performance.eventLoopUtilization();
  let windowStart = performance.now();
  let ticks = 0;
  rec.beat();
  const timer = setInterval(() => {
    const interval = rec.beat();
    if (interval > 0) delay.record(Math.max(1, Math.round(interval * 1e6)));
    rec.publishCounts();
    rec.refillSites();
    if (++ticks % QUEUE_EVERY_TICKS === 0) sampleQueues();
    const t = performance.now();
    if (t - windowStart < LOOP_WINDOW_MS) return;
    const next = performance.eventLoopUtilization();
    const ns = 1e-6;
    rec.write.loop({
      t: windowStart,
      windowMs: t - windowStart,
      delay: {
        min: delay.min * ns,
        max: delay.max * ns,
        mean: delay.mean * ns,
        p50: delay.percentile(50) * ns,
        p90: delay.percentile(90) * ns,
        p99: delay.percentile(99) * ns,
      },
      utilization: performance.eventLoopUtilization(next, elu).utilization,
    });
    elu = next;
    windowStart = t;
    delay.reset();
  }, TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
