import * as assert from "node:assert/strict";
import { EVERY_ROOT, events, runTraced } from "./helpers";

describe("runtime: p-queue, p-limit and resource()", function () {
  this.timeout(30_000);

  it("records queue depths from p-queue, p-limit and the API, and a lock of the program's own", async () => {
    const result = await runTraced("queues-api.mjs", EVERY_ROOT);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "ok\n");
    const queues = events(result.trace, "queue");
    const pQueue = queues.filter((q) => q.source === "p-queue");
    assert.ok(pQueue.some((q) => q.depth >= 2 && q.active === 1), JSON.stringify(pQueue));
    const pLimit = queues.filter((q) => q.source === "p-limit");
    assert.ok(pLimit.some((q) => q.depth >= 2 && q.active === 1), JSON.stringify(pLimit));
    assert.equal(pLimit[0].name, "pLimit(1)");
    const jobs = queues.filter((q) => q.name === "jobs");
    assert.deepEqual(
      jobs.map((q) => [q.depth, q.capacity, q.active]),
      [
        [1, 2, 1],
        [2, 2, 1],
        [3, 2, 1],
        [4, 2, 1],
      ],
    );
    const pool = events(result.trace, "lock").filter((l) => l.name === "db-pool");
    assert.deepEqual(
      pool.map((l) => [l.op, l.source]),
      [
        ["wait", "resource"],
        ["acquire", "resource"],
        ["release", "resource"],
      ],
    );
  });
});
