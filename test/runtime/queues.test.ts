import * as assert from "node:assert/strict";
import type { WarningEvent } from "../../runtime/src/protocol";
import { events, runTraced, waitForEvent } from "./helpers";

describe("runtime: queues", function () {
  this.timeout(30_000);

  it("tracks a stream written without backpressure and warns that it grows", async () => {
    const result = await runTraced("stream-no-backpressure.js", { ASYNC_LENS_QUEUE_WINDOW_MS: "500" }, [], async (_child, traceFile) => {
      await waitForEvent(traceFile, (e): e is WarningEvent => e.type === "warning" && e.check === "queue-growing");
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "ok\n");
    const depths = events(result.trace, "queue").filter((q) => q.name === "SlowSink");
    assert.ok(depths.length >= 3, `${depths.length} depth samples`);
    assert.equal(depths[0].source, "stream");
    assert.equal(depths[0].capacity, 1024);
    // The last sample may come after the program destroys the stream, which empties its buffer.
    const deepest = Math.max(...depths.map((q) => q.depth));
    assert.ok(deepest > depths[0].depth, `depth did not grow: ${depths.map((q) => q.depth).join(", ")}`);
    const warning = events(result.trace, "warning").find((w) => w.check === "queue-growing")!;
    assert.match(warning.message, /queue SlowSink grew from \d+ to \d+/);
  });
});
