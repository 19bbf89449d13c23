import * as assert from "node:assert/strict";
import { EVERY_ROOT, events, get, lineOf, serveTraced, waitForEvent } from "./helpers";
import type { SettleEvent, WarningEvent } from "../../runtime/src/protocol";

describe("runtime: HTTP servers", function () {
  this.timeout(30_000);

  it("records node:http requests as root tasks with their promises as children", async () => {
    const result = await serveTraced(
      "http-server.js",
      async (port) => {
        for (let i = 0; i < 5; i++) assert.equal(await get(port, `/r${i}`), `hello /r${i}\n`);
      },
      EVERY_ROOT,
    );
    assert.equal(result.code, 0, result.stderr);
    const tasks = events(result.trace, "task");
    const requests = tasks.filter((t) => t.kind === "http");
    assert.deepEqual(
      requests.map((r) => r.name),
      ["GET /r0", "GET /r1", "GET /r2", "GET /r3", "GET /r4"],
    );
    const finished = new Set(events(result.trace, "settle").filter((s) => s.state === "finished").map((s) => s.id));
    const parentOf = new Map(tasks.map((t) => [t.id, t.parent]));
    const requestOf = (id: number): number => (parentOf.get(id) ? requestOf(parentOf.get(id)!) : id);
    const runs = events(result.trace, "run");
    for (const r of requests) {
      assert.ok(finished.has(r.id), `request ${r.name} not finished`);
      assert.ok(tasks.some((t) => t.parent === r.id && t.kind === "promise"), `request ${r.name} has no child task`);
      // The handler's continuation after its await is a run of the await's promise, in the request's tree.
      assert.ok(runs.some((run) => run.id !== r.id && requestOf(run.id) === r.id), `request ${r.name} has no recorded run`);
    }
  });

  it("ends a request whose client went away before the response, marked aborted", async () => {
    const result = await serveTraced(
      "http-server.js",
      async (port, traceFile) => {
        await assert.rejects(fetch(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(100) }));
        assert.equal(await get(port, "/after"), "hello /after\n");
        // The server learns of the client's leaving on its own time: wait until it has recorded it.
        await waitForEvent(traceFile, (e): e is SettleEvent => e.type === "settle" && e.aborted === true);
      },
      EVERY_ROOT,
    );
    assert.equal(result.code, 0, result.stderr);
    const requests = events(result.trace, "task").filter((t) => t.kind === "http");
    const slow = requests.find((r) => r.name === "GET /slow")!;
    const after = requests.find((r) => r.name === "GET /after")!;
    const settles = events(result.trace, "settle");
    assert.deepEqual(
      settles.filter((s) => s.id === slow.id).map((s) => [s.state, s.aborted]),
      [["finished", true]],
    );
    assert.deepEqual(
      settles.filter((s) => s.id === after.id).map((s) => [s.state, s.aborted]),
      [["finished", undefined]],
    );
  });

  it("samples one root in N and counts all of them", async () => {
    const result = await serveTraced(
      "http-server.js",
      async (port) => {
        for (let i = 0; i < 40; i++) await get(port, `/r${i}`);
      },
      { ASYNC_LENS_SAMPLE: "8" },
    );
    const requests = events(result.trace, "task").filter((t) => t.kind === "http");
    const counts = events(result.trace, "counts").at(-1)!;
    assert.ok(requests.length >= 1 && requests.length < 40, `${requests.length} of 40 requests recorded`);
    assert.ok(counts.rootsSeen >= 40, `roots seen ${counts.rootsSeen}`);
    assert.ok(Math.abs(counts.rootsSampled * 8 - counts.rootsSeen) <= 8, JSON.stringify(counts));
  });

  it("warns about a promise never settled after its request finished", async () => {
    const result = await serveTraced(
      "http-server.js",
      async (port, traceFile) => {
        await get(port, "/leak");
        // The leak has to age past the threshold: wait for the warning itself to reach the trace.
        await waitForEvent(traceFile, (e): e is WarningEvent => e.type === "warning" && e.check === "never-settled");
      },
      { ...EVERY_ROOT, ASYNC_LENS_NEVER_SETTLED_MS: "300" },
    );
    const warning = events(result.trace, "warning").find((w) => w.check === "never-settled");
    assert.ok(warning, "no never-settled warning");
    assert.equal(warning.site?.line, lineOf("http-server.js", "// LEAK"));
  });

  it("records express requests in an ES module app", async () => {
    const result = await serveTraced(
      "express-server.mjs",
      async (port) => {
        assert.equal(await get(port, "/users/7"), '{"id":"7"}');
        assert.equal(await get(port, "/users/8"), '{"id":"8"}');
      },
      EVERY_ROOT,
    );
    assert.equal(result.code, 0, result.stderr);
    const requests = events(result.trace, "task").filter((t) => t.kind === "http");
    assert.deepEqual(
      requests.map((r) => r.name),
      ["GET /users/7", "GET /users/8"],
    );
  });
});
