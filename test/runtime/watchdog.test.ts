import * as assert from "node:assert/strict";
import { HB_GAP_END, HB_GAP_START, HB_TICK, HEARTBEAT_BYTES } from "../../runtime/src/recorder";
import { Watchdog, epochNow } from "../../runtime/src/worker/watchdog";

// The watchdog against a heartbeat written by hand, as the main thread's
// timer would: what it reports must depend on the main thread's beats, never
// on how often (or how late) the watchdog itself gets to look.
describe("runtime: watchdog", () => {
  const THRESHOLD_MS = 50;
  const TICK_MS = 10;
  let heartbeat: Float64Array;
  let watchdog: Watchdog;

  beforeEach(() => {
    heartbeat = new Float64Array(new SharedArrayBuffer(HEARTBEAT_BYTES));
    watchdog = new Watchdog({ heartbeat, thresholdMs: THRESHOLD_MS, mainTimeOrigin: 1000, readStacks: false, runtimeDir: __dirname });
  });

  /** What beat() writes when it sees a gap over the threshold: the gap first, then the tick. */
  function gap(start: number, end: number): void {
    heartbeat[HB_GAP_START] = start;
    heartbeat[HB_GAP_END] = end;
    heartbeat[HB_TICK] = end;
  }

  it("reports nothing when its own checks come far apart while the main thread beats on", () => {
    const t = epochNow();
    for (let i = 0; i < 5; i++) {
      heartbeat[HB_TICK] = t + i * 200;
      assert.equal(watchdog.check(), undefined);
    }
  });

  it("reports a stall it saw, with the main thread's measure of the gap", () => {
    const start = epochNow() - THRESHOLD_MS - 10;
    heartbeat[HB_TICK] = start;
    assert.equal(watchdog.check(), undefined, "still stuck: nothing to report yet");
    assert.equal(watchdog.check(), undefined);
    gap(start, start + 80);
    const block = watchdog.check();
    assert.equal(block?.type, "block");
    assert.equal(block.dur, 80);
    assert.equal(block.t, start - 1000);
    assert.equal(watchdog.check(), undefined, "reported once");
  });

  it("drops a stall that ended before the main thread counted it a block", () => {
    const start = epochNow() - THRESHOLD_MS - 2;
    heartbeat[HB_TICK] = start;
    assert.equal(watchdog.check(), undefined);
    heartbeat[HB_TICK] = start + THRESHOLD_MS + 5;
    assert.equal(watchdog.check(), undefined);
    assert.equal(watchdog.check(), undefined);
  });

  it("reports, once, a gap the main thread recorded while it was not watching", () => {
    const end = epochNow();
    gap(end - 300, end);
    const block = watchdog.check();
    assert.equal(block?.dur, 300);
    assert.deepEqual(block.stack, []);
    heartbeat[HB_TICK] = end + TICK_MS;
    assert.equal(watchdog.check(), undefined);
  });
});
