import * as assert from "node:assert/strict";
import type { LoopEvent } from "../../runtime/src/protocol";
import { events, runTraced, waitForEvent } from "./helpers";

describe("runtime: event-loop health", function () {
  this.timeout(30_000);

  it("reports loop delay percentiles and utilisation about once a second", async () => {
    const result = await runTraced("steady-work.js", {}, [], async (_child, traceFile) => {
      await waitForEvent(traceFile, (e): e is LoopEvent => e.type === "loop");
    });
    assert.equal(result.code, 0, result.stderr);
    const [loop] = events(result.trace, "loop");
    assert.ok(loop.windowMs >= 1000 && loop.windowMs < 3000, `window ${loop.windowMs}`);
    assert.ok(loop.utilization > 0 && loop.utilization <= 1, `utilization ${loop.utilization}`);
    const { min, p50, p90, p99, max } = loop.delay;
    assert.ok(min > 0 && min <= p50 && p50 <= p90 && p90 <= p99 && p99 <= max, JSON.stringify(loop.delay));
  });
});
