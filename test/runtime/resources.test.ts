import * as assert from "node:assert/strict";
import { EVERY_ROOT, events, runTraced } from "./helpers";

describe("runtime: non-promise resources (ASYNC_LENS_RESOURCES=1)", function () {
  this.timeout(30_000);

  it("records timers, fs requests and sockets as tasks with their callbacks' runs", async () => {
    const result = await runTraced("resources.js", { ...EVERY_ROOT, ASYNC_LENS_RESOURCES: "1" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "ok\n");
    const tasks = events(result.trace, "task");
    const kinds = new Set(tasks.map((t) => t.kind));
    for (const kind of ["timer", "fs", "socket"] as const) assert.ok(kinds.has(kind), `no ${kind} task in ${[...kinds]}`);
    const timer = tasks.find((t) => t.kind === "timer" && t.name === "Timeout");
    assert.ok(timer, "no Timeout task");
    assert.ok(events(result.trace, "run").some((r) => r.id === timer.id), "the timer's callback run was not recorded");
  });

  it("records none of them by default", async () => {
    const result = await runTraced("resources.js", EVERY_ROOT);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(events(result.trace, "task").every((t) => t.kind === "promise" || t.kind === "http"));
  });
});
