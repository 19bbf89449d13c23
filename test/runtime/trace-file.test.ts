import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLI, PROGRAMS, cleanEnv, run, tempFile } from "./helpers";
import { loadTrace } from "../../runtime/src/trace-reader";

describe("runtime: the trace file", function () {
  this.timeout(30_000);
  const traced = (traceFile: string) => run(["--import", "async-lens/register", path.join(PROGRAMS, "output.js"), "0"], cleanEnv({ ASYNC_LENS_TRACE: traceFile }));

  it("is appended to by each run, and the summary gives each process its own section", async () => {
    const traceFile = tempFile("runs.alens");
    for (let i = 0; i < 2; i++) assert.equal((await traced(traceFile)).code, 0);
    const trace = loadTrace(traceFile);
    assert.equal(trace.processes.length, 2);
    assert.ok(trace.processes.every((p) => p.events.filter((e) => e.type === "process").length === 1 && p.events.some((e) => e.type === "end")));
    const summary = await run([CLI, "trace", "summary", traceFile], cleanEnv());
    assert.equal(summary.stdout.match(/^process \d+ started \d{4}-\d\d-\d\dT[\d:.]+Z: .*output\.js 0$/gm)?.length, 2, summary.stdout);
  });

  it("is never written into when it is some other file, and says so", async () => {
    const other = tempFile("notes.txt");
    fs.writeFileSync(other, "my notes\n");
    const result = await traced(other);
    assert.equal(result.code, 0);
    assert.equal(fs.readFileSync(other, "utf8"), "my notes\n");
    assert.match(result.stderr, /^async-lens: ASYNC_LENS_TRACE .*notes\.txt: the file exists and is not an Async Lens trace; not recording to it$/m);
  });
});
