import * as assert from "node:assert/strict";
import { HB_TICK, HEARTBEAT_BYTES } from "../../runtime/src/shared-memory";
import { Watchdog, epochNow, type Stretch } from "../../runtime/src/worker/watchdog";

// The watchdog against a heartbeat and stretch records written by hand, as
// the main thread would write them: what it reports must depend on the main
// thread's own records, never on how often (or how late) the watchdog gets to look.
describe("runtime: watchdog", () => {
  const THRESHOLD_MS = 50;
  const ORIGIN = 1000;
  let heartbeat: Float64Array;
  let watchdog: Watchdog;

  beforeEach(() => {
    heartbeat = new Float64Array(new SharedArrayBuffer(HEARTBEAT_BYTES));
    watchdog = new Watchdog({ heartbeat, thresholdMs: THRESHOLD_MS, mainTimeOrigin: ORIGIN, readStacks: false, runtimeDir: __dirname });
  });

  const gap = (start: number, end: number): Stretch => ({ type: "stretch", gap: true, start: start - ORIGIN, end: end - ORIGIN, task: 0 });
  const run = (start: number, end: number, extra: Partial<Stretch> = {}): Stretch => ({ type: "stretch", gap: false, start: start - ORIGIN, end: end - ORIGIN, task: 0, ...extra });

  it("reports nothing when its own checks come far apart while the main thread beats on", () => {
    const t = epochNow();
    for (let i = 0; i < 5; i++) {
      heartbeat[HB_TICK] = t + i * 200;
      assert.deepEqual(watchdog.check(), []);
    }
  });

  it("reports a stall it saw with the main thread's measure of the gap, once", () => {
    const start = epochNow() - THRESHOLD_MS - 10;
    heartbeat[HB_TICK] = start;
    assert.deepEqual(watchdog.check(), [], "still stuck: nothing to report yet");
    heartbeat[HB_TICK] = start + 80;
    watchdog.add(gap(start, start + 80));
    const blocks = watchdog.check();
    assert.deepEqual(
      blocks.map((b) => [b.t, b.dur]),
      [[start - ORIGIN, 80]],
    );
    assert.deepEqual(watchdog.check(), [], "reported once");
  });

  it("counts back-to-back gaps one by one, however late it looks", () => {
    const end = epochNow();
    for (let i = 0; i < 5; i++) watchdog.add(gap(end - 1000 + i * 100, end - 1000 + i * 100 + 60 + i));
    heartbeat[HB_TICK] = end;
    assert.deepEqual(
      watchdog.check().map((b) => b.dur),
      [60, 61, 62, 63, 64],
    );
  });

  it("reports the long callbacks inside a gap, one block each, with the request that ran them", () => {
    const end = epochNow();
    watchdog.add(run(end - 200, end - 130, { request: "GET /block?n=1", route: "/block" }));
    watchdog.add(run(end - 130, end - 70, { request: "GET /block?n=2", route: "/block", task: 7 }));
    watchdog.add(gap(end - 205, end - 60));
    heartbeat[HB_TICK] = end - 60;
    const blocks = watchdog.check();
    assert.deepEqual(
      blocks.map((b) => [b.dur, b.request, b.route, b.task]),
      [
        [70, "GET /block?n=1", "/block", 0],
        [60, "GET /block?n=2", "/block", 7],
      ],
    );
  });

  it("reports a long callback within no gap once the heartbeat it preceded has been drained", () => {
    const end = epochNow();
    watchdog.add(run(end - 100, end - 45, { request: "GET /x" }));
    heartbeat[HB_TICK] = end - 40;
    assert.deepEqual(watchdog.check(), [], "the gap record of this beat may still be on its way");
    const [block] = watchdog.check();
    assert.equal(block?.dur, 55);
    assert.equal(block.request, "GET /x");
    assert.deepEqual(watchdog.check(), []);
  });

  it("drops a stall that ended before the main thread counted it a block", () => {
    const start = epochNow() - THRESHOLD_MS - 2;
    heartbeat[HB_TICK] = start;
    assert.deepEqual(watchdog.check(), []);
    heartbeat[HB_TICK] = start + THRESHOLD_MS + 5;
    assert.deepEqual(watchdog.check(), []);
    assert.deepEqual(watchdog.flush(), []);
  });
});
