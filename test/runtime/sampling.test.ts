import * as assert from "node:assert/strict";
import { events, runTraced } from "./helpers";

describe("runtime: sampling", function () {
  this.timeout(30_000);

  const lastCounts = (trace: Parameters<typeof events>[0]) => events(trace, "counts").at(-1)!;

  it("records at most the configured number of roots a second under a flood of promises, and counts them all", async () => {
    const result = await runTraced("bench-awaits.js", { ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "200", SETTLE_MS: "0" }, ["200000"]);
    assert.equal(result.code, 0, result.stderr);
    const { cpuMs } = JSON.parse(result.stdout) as { cpuMs: number };
    const counts = lastCounts(result.trace);
    assert.ok(counts.rootsSeen >= 200_000, `roots seen ${counts.rootsSeen}`);
    // 20 per 100 ms window, over the loop plus the process's start and exit.
    const windows = Math.ceil((cpuMs + 2000) / 100) + 1;
    assert.ok(counts.rootsSampled >= 20 && counts.rootsSampled <= 20 * windows, `sampled ${counts.rootsSampled} of ${counts.rootsSeen}`);
    // Each sampled root brings its own small tree (the awaited promise), no more.
    const tasks = events(result.trace, "task").length;
    assert.ok(tasks >= counts.rootsSampled && tasks <= 3 * counts.rootsSampled + 10, `${tasks} tasks for ${counts.rootsSampled} sampled roots`);
    assert.equal(result.trace.processes[0].events.find((e) => e.type === "process")?.sampledPerSecond, 200);
  });

  it("records every root when the limit is off", async () => {
    const result = await runTraced("bench-awaits.js", { ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "0", SETTLE_MS: "0" }, ["20000"]);
    assert.equal(result.code, 0, result.stderr);
    const counts = lastCounts(result.trace);
    assert.ok(counts.rootsSeen >= 20_000, `roots seen ${counts.rootsSeen}`);
    assert.equal(counts.rootsSampled, counts.rootsSeen);
  });
});
