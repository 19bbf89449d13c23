import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChromeTrace } from "../../runtime/src/chrome-trace";
import { CLI, EVERY_ROOT, PROGRAMS, cleanEnv, lineOf, run, runTraced, serveTraced, get, tempFile, type TracedRun } from "./helpers";
import { pairingProblems } from "./trace-event-pairing";

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
      if (e.ph === "C") assert.ok(Object.values(e.args ?? {}).every((v) => typeof v === "number"));
    }
    assert.deepEqual(pairingProblems(chrome.traceEvents), []);
    const blocks = chrome.traceEvents.filter((e) => e.cat === "block");
    assert.ok(blocks.filter((b) => b.dur! >= 200_000).length >= 3);
    assert.ok(chrome.traceEvents.some((e) => e.ph === "M" && e.name === "process_name"));
  });

  it("convert pairs every task's begin and end, and nests callbacks, for an HTTP server with an aborted request", async () => {
    const served = await serveTraced(
      "http-server.js",
      async (port) => {
        await assert.rejects(fetch(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(100) }));
        for (let i = 0; i < 5; i++) await get(port, `/r${i}`);
      },
      EVERY_ROOT,
    );
    const out = tempFile("trace.json");
    const result = await run([CLI, "trace", "convert", served.traceFile, "--out", out], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    const events = (JSON.parse(fs.readFileSync(out, "utf8")) as ChromeTrace).traceEvents;
    assert.ok(events.filter((e) => e.ph === "b" && e.cat === "task,http").length >= 6);
    assert.deepEqual(pairingProblems(events), []);
  });

  it("the pairing check rejects what Perfetto would leave open or mis-nest", () => {
    const at = { pid: 1, tid: 0 };
    assert.equal(pairingProblems([{ name: "GET /", ph: "b", ts: 1, cat: "task,http", id: "1", ...at }, { name: "GET /", ph: "e", ts: 2, cat: "task", id: "1", ...at }]).length, 2);
    assert.equal(pairingProblems([{ name: "a", ph: "b", ts: 1, cat: "task", id: "1", ...at }, { name: "b", ph: "e", ts: 2, cat: "task", id: "1", ...at }]).length, 1);
    assert.equal(pairingProblems([{ name: "run", ph: "X", ts: 10, dur: 10, ...at }, { name: "block", ph: "X", ts: 15, dur: 10, ...at }]).length, 1);
    assert.deepEqual(pairingProblems([{ name: "run", ph: "X", ts: 10, dur: 10, ...at }, { name: "inner", ph: "X", ts: 12, dur: 8, ...at }, { name: "next", ph: "X", ts: 20, dur: 1, ...at }]), []);
  });

  it("print shows one line per event", async () => {
    const result = await run([CLI, "trace", "print", traced.traceFile], cleanEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\[\d+:0\] +0\.000 ms process /);
    assert.match(result.stdout, / block +\{"dur":/);
  });

  it("--help says what each subcommand does, on stdout, exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const result = await run([CLI, "trace", flag], cleanEnv());
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      for (const word of ["summary FILE", "print FILE", "convert FILE", "--out FILE", "Perfetto"]) assert.ok(result.stdout.includes(word), word);
    }
  });

  it("exits 2 on a usage error or an unreadable file", async () => {
    for (const args of [["trace"], ["trace", "explode", traced.traceFile], ["trace", "summary"], ["trace", "summary", "/nonexistent.alens"], ["trace", "summary", __filename]]) {
      const result = await run([CLI, ...args], cleanEnv());
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, /async-lens/);
    }
  });
});
