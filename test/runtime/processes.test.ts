import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EVERY_ROOT, PROGRAMS, ROOT, cleanEnv, lineOf, run, runTraced, tempFile } from "./helpers";
import { loadTrace } from "../../runtime/src/trace-reader";

describe("runtime: processes, threads and the programmatic API", function () {
  this.timeout(30_000);

  it("reports a child process and a worker thread each as its own process", async () => {
    const result = await runTraced("children.js", EVERY_ROOT);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "child exited 0\n");
    const [main, ...others] = result.trace.processes;
    assert.equal(main.threadId, 0);
    const thread = others.find((p) => p.pid === main.pid && p.threadId !== 0);
    const child = others.find((p) => p.pid !== main.pid);
    assert.ok(thread, "no worker thread in the trace");
    assert.ok(child, "no child process in the trace");
    assert.equal(child.info?.ppid, main.pid);
    const blockLine = lineOf("block-briefly.js", "BLOCK: briefly");
    for (const p of [thread, child]) {
      const block = p.events.find((e) => e.type === "block" && e.dur >= 140);
      assert.ok(block, `no block in ${p.key}`);
    }
    const childBlock = child.events.find((e) => e.type === "block" && e.dur >= 140 && e.site?.file === path.join(PROGRAMS, "block-briefly.js"));
    assert.equal(childBlock?.type === "block" && childBlock.site?.line, blockLine);
  });

  it("start() and stop() record only in between, and leave the program running", async () => {
    const traceFile = tempFile("trace.alens");
    const result = await run([path.join(PROGRAMS, "stop-start.js"), traceFile], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "started true running false\n");
    const [p] = loadTrace(traceFile).processes;
    assert.ok(p.events.some((e) => e.type === "task"));
    assert.equal(p.events.at(-1)?.type, "end");
  });

  it("maps a block in compiled TypeScript back to the .ts line through its source map", async () => {
    const compiled = path.join(ROOT, "out/test/runtime/programs/ts-app/app.js");
    assert.ok(fs.existsSync(`${compiled}.map`), "the fixture is compiled with a source map");
    const traceFile = tempFile("trace.alens");
    const result = await run(["--import", "async-lens/register", compiled], cleanEnv({ ASYNC_LENS_TRACE: traceFile }));
    assert.equal(result.code, 0, result.stderr);
    const block = loadTrace(traceFile).processes[0].events.find((e) => e.type === "block" && e.dur >= 150 && e.site?.file === path.join(PROGRAMS, "ts-app/app.ts"));
    assert.ok(block?.type === "block" && block.site, "no block mapped to app.ts");
    assert.equal(block.site.line, lineOf("ts-app/app.ts", "BLOCK: typescript"));
    assert.equal(block.site.generated?.file, compiled);
  });
});
