import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PROGRAMS, cleanEnv, events, lineOf, run, runTraced, tempFile } from "./helpers";
import { loadTrace } from "../../runtime/src/trace-reader";

describe("runtime: blocks", function () {
  this.timeout(30_000);

  it("records readFileSync, execSync and a busy loop, each at the line that was running", async () => {
    const result = await runTraced("blocks.js");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "ok\n");
    const file = path.join(PROGRAMS, "blocks.js");
    // A loaded machine can stall the process elsewhere too; the program's own blocks are the ones in its file.
    const sites = events(result.trace, "block")
      .filter((b) => b.dur >= 200 && b.site?.file === file)
      .map((b) => b.site && `${b.site.file}:${b.site.line}`);
    assert.deepEqual(sites, [
      `${file}:${lineOf("blocks.js", "BLOCK: readFileSync")}`,
      `${file}:${lineOf("blocks.js", "BLOCK: execSync")}`,
      `${file}:${lineOf("blocks.js", "BLOCK: busy")}`,
    ]);
    const warned = events(result.trace, "warning").filter((w) => w.check === "block");
    assert.ok(warned.length >= 3, JSON.stringify(warned));
  });

  it("records a block the program makes before the watchdog is up, and exits", async () => {
    const result = await runTraced("block-at-start.js");
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      events(result.trace, "block").some((b) => b.dur >= 140),
      JSON.stringify(events(result.trace, "block")),
    );
  });

  it("works preloaded with -r as well as --import", async () => {
    const traceFile = tempFile("trace.alens");
    const result = await run(["-r", "async-lens/register", path.join(PROGRAMS, "blocks.mjs")], cleanEnv({ ASYNC_LENS_TRACE: traceFile }));
    assert.equal(result.code, 0, result.stderr);
    const block = loadTrace(traceFile).processes[0].events.find((e) => e.type === "block" && e.dur >= 200 && e.site?.file === path.join(PROGRAMS, "blocks.mjs"));
    assert.equal(block?.type === "block" && block.site?.line, lineOf("blocks.mjs", "BLOCK: esm busy"));
  });

  it("maps ES module frames to their file", async () => {
    const result = await runTraced("blocks.mjs");
    assert.equal(result.code, 0, result.stderr);
    const [block] = events(result.trace, "block").filter((b) => b.dur >= 200 && b.site?.file === path.join(PROGRAMS, "blocks.mjs"));
    assert.ok(block, "no block recorded in blocks.mjs");
    assert.equal(block.site?.line, lineOf("blocks.mjs", "BLOCK: esm busy"));
    assert.ok(block.dur >= 240 && block.dur < 1000, `duration ${block.dur}`);
  });
});
