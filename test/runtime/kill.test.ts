import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { KeyframeEvent } from "../../runtime/src/protocol";
import { loadTrace } from "../../runtime/src/trace-reader";
import { CLI, EVERY_ROOT, cleanEnv, run, runTraced, waitForEvent } from "./helpers";

describe("runtime: a killed process", function () {
  this.timeout(30_000);

  it("leaves a trace that reads up to its last complete record", async () => {
    const result = await runTraced("steady-work.js", { ...EVERY_ROOT, ASYNC_LENS_KEYFRAME_MS: "200" }, [], async (child, traceFile) => {
      await waitForEvent(traceFile, (e): e is KeyframeEvent => e.type === "keyframe");
      child.kill("SIGKILL");
    });
    assert.equal(result.signal, "SIGKILL");
    const events = result.trace.processes[0].events;
    assert.ok(events.some((e) => e.type === "keyframe"));
    assert.ok(events.filter((e) => e.type === "task").length > 10);
    assert.ok(!events.some((e) => e.type === "end"), "a killed process cannot have written its end");

    // Whatever byte the kill had landed on, the file would still read.
    const bytes = fs.readFileSync(result.traceFile);
    const torn = `${result.traceFile}.torn`;
    fs.writeFileSync(torn, bytes.subarray(0, bytes.length - 3));
    const partial = loadTrace(torn);
    assert.equal(partial.truncated, true);
    assert.ok(partial.processes[0].events.length > 0);

    const summary = await run([CLI, "trace", "summary", torn], cleanEnv());
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /trace ends mid-record/);
  });
});
