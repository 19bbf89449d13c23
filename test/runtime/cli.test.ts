import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChromeTrace } from "../../runtime/src/chrome-trace";
import { CLI, EVERY_ROOT, PROGRAMS, cleanEnv, lineOf, run, runTraced, tempFile, type TracedRun } from "./helpers";

describe("runtime: async-lens trace", function () {
  this.timeout(30_000);
  let traced: TracedRun;

  before(async () => {
    traced = await runTraced("blocks.js", EVERY_ROOT);
    assert.equal(traced.code, 0, traced.stderr);
  });

  it("summary lists the worst blocks by file:line and the warnings", async () => {
    const result = await run([CLI, "trace", "summary", traced.traceFile], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    const file = path.join(PROGRAMS, "blocks.js");
    for (const marker of ["BLOCK: readFileSync", "BLOCK: execSync", "BLOCK: busy"]) {
      assert.match(result.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${lineOf("blocks.js", marker)}  1× total \\d+ ms`));
    }
    assert.match(result.stdout, /warnings \(\d+\):\n\s+\[block\] blocked the event loop for \d+ ms at /);
  });

  it("convert writes Chrome Trace Event JSON with the required fields", async () => {
    const out = tempFile("trace.json");
    const result = await run([CLI, "trace", "convert", traced.traceFile, "--out", out], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    const chrome = JSON.parse(fs.readFileSync(out, "utf8")) as ChromeTrace;
    assert.ok(chrome.traceEvents.length > 10);
    for (const e of chrome.traceEvents) {
      assert.equal(typeof e.name, "string");
      assert.ok(["X", "b", "e", "C", "i", "M"].includes(e.ph), e.ph);
      assert.ok(Number.isInteger(e.ts) && e.ts >= 0, `ts ${e.ts}`);
      assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid));
      if (e.ph === "X") assert.ok(Number.isInteger(e.dur) && e.dur! > 0);
      if (e.ph === "b" || e.ph === "e") assert.equal(typeof e.id, "string");
      if (e.ph === "C") assert.ok(Object.values(e.args ?? {}).every((v) => typeof v === "number"));
    }
    const blocks = chrome.traceEvents.filter((e) => e.cat === "block");
    assert.ok(blocks.filter((b) => b.dur! >= 200_000).length >= 3);
    assert.ok(chrome.traceEvents.some((e) => e.ph === "M" && e.name === "process_name"));
  });

  it("print shows one line per event", async () => {
    const result = await run([CLI, "trace", "print", traced.traceFile], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\[\d+:0\] +0\.000 ms process /);
    assert.match(result.stdout, / block +\{"dur":/);
  });

  it("exits 2 on a usage error or an unreadable file", async () => {
    for (const args of [["trace"], ["trace", "explode", traced.traceFile], ["trace", "summary"], ["trace", "summary", "/nonexistent.alens"], ["trace", "summary", __filename]]) {
      const result = await run([CLI, ...args], cleanEnv());
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, /async-lens/);
    }
  });
});
