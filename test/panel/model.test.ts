// The panel's trace model (plain TypeScript, no DOM) and the webview message
// validation, fed the runtime's event shapes directly.
import * as assert from "node:assert/strict";
import { parseFromWebview, parseToWebview } from "../../client/src/panel/messages";
import { DEFAULT_LIMITS, TraceModel } from "../../client/src/panel/webview/model";
import { PROTOCOL_VERSION, type BatchMessage, type TraceEvent } from "../../runtime/src/protocol";

function batch(pid: number, events: TraceEvent[]): BatchMessage {
  return { v: PROTOCOL_VERSION, type: "batch", process: { pid, threadId: 0 }, seq: 0, events };
}

const processEvent = (pid: number, timeOrigin: number): TraceEvent => ({ type: "process", t: 0, pid, threadId: 0, ppid: 1, argv: [], timeOrigin, runtimeVersion: "test", sampleEvery: 1, blockThresholdMs: 50 });

describe("Task Inspector model", () => {
  it("evicts finished tasks before pending ones once past its limit, and counts them", () => {
    const model = new TraceModel({ ...DEFAULT_LIMITS, maxTasks: 10 });
    const events: TraceEvent[] = [processEvent(1, 0)];
    for (let id = 1; id <= 11; id++) {
      events.push({ type: "task", t: id, id, parent: 0, kind: "promise" });
      // Odd tasks stay pending.
      if (id % 2 === 0) events.push({ type: "settle", t: id + 0.5, id, state: "fulfilled" });
    }
    model.ingestBatch(batch(1, events));
    // The 11th task crossed the limit: down to 9, the oldest finished ones (2 and 4) gone first.
    assert.equal(model.tasks.size, 9);
    assert.equal(model.tasksEvicted, 2);
    assert.deepEqual([...model.tasks.values()].map((t) => t.id), [1, 3, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("says what a pending task awaits: a lock it waits for, else its newest pending child", () => {
    const model = new TraceModel();
    model.ingestBatch(
      batch(1, [
        processEvent(1, 0),
        { type: "task", t: 0, id: 1, parent: 0, kind: "http", name: "GET /" },
        { type: "task", t: 1, id: 2, parent: 1, kind: "promise", name: "query" },
        { type: "lock", t: 2, lock: 7, name: "db", source: "async-mutex", op: "wait", holder: 100, task: 2 },
      ]),
    );
    const [request, query] = [...model.tasks.values()];
    assert.equal(model.awaiting(request), "#2 query");
    assert.equal(model.awaiting(query), "lock db");
    model.ingestBatch(
      batch(1, [
        { type: "lock", t: 7, lock: 7, name: "db", source: "async-mutex", op: "acquire", holder: 100, task: 2 },
        { type: "lock", t: 17, lock: 7, name: "db", source: "async-mutex", op: "release", holder: 100, task: 2 },
        { type: "settle", t: 18, id: 2, state: "fulfilled" },
      ]),
    );
    assert.equal(model.awaiting(query), "");
    assert.equal(model.awaiting(request), "");
    const lock = [...model.locks.values()][0];
    assert.deepEqual([lock.acquisitions, lock.waitMax, lock.holdMax, lock.holders.size, lock.waiters.size], [1, 5, 10, 0, 0]);
  });

  it("places processes on one time axis by their time origins and keeps their task ids apart", () => {
    const model = new TraceModel();
    model.ingestBatch(batch(1, [processEvent(1, 5_000), { type: "task", t: 10, id: 1, parent: 0, kind: "promise" }]));
    model.ingestBatch(batch(2, [processEvent(2, 6_000), { type: "task", t: 10, id: 1, parent: 0, kind: "promise" }]));
    assert.deepEqual(
      [...model.tasks.values()].map((t) => [t.proc.pid, t.id, t.created]),
      [
        [1, 1, 10],
        [2, 1, 1_010],
      ],
    );
  });

  it("keeps a bounded number of runs per task while counting them all", () => {
    const model = new TraceModel({ ...DEFAULT_LIMITS, runsPerTask: 4 });
    const runs: TraceEvent[] = Array.from({ length: 50 }, (_, i) => ({ type: "run", t: i, id: 1, dur: 1 }));
    model.ingestBatch(batch(1, [processEvent(1, 0), { type: "task", t: 0, id: 1, parent: 0, kind: "timer" }, ...runs]));
    const task = model.tasks.get(model.taskKey(model.proc({ process: { pid: 1, threadId: 0 } }), 1))!;
    assert.equal(task.runs, 50);
    assert.equal(task.busy, 50);
    assert.ok(task.recentRuns.length <= 2 * 2 * 4, `kept ${task.recentRuns.length / 2} runs`);
    assert.equal(task.recentRuns.at(-2), 49);
  });
});

describe("Task Inspector messages", () => {
  it("accepts trace batches, skipping event types from a newer runtime", () => {
    const parsed = parseToWebview({ type: "batches", batches: [{ ...batch(1, [processEvent(1, 0)]), events: [processEvent(1, 0), { type: "future-thing", t: 1 }] }] });
    assert.ok(parsed.ok);
    assert.equal(parsed.skippedEvents, 1);
    assert.equal(parsed.value.type === "batches" && parsed.value.batches[0].events.length, 1);
  });

  it("refuses malformed messages on either side with the reason", () => {
    assert.deepEqual(parseToWebview({ type: "batches", batches: [{ v: 1, type: "batch", process: { pid: 1, threadId: 0 }, seq: 0, events: [{ type: "task", t: 0 }] }] }), {
      ok: false,
      error: "bad batch: malformed task event",
    });
    assert.deepEqual(parseToWebview({ type: "filter-site", file: "/a.js", line: 0 }), { ok: false, error: "malformed filter-site message" });
    assert.deepEqual(parseFromWebview({ type: "open-source", file: "/a.js", line: 3, column: 1 }), { ok: true, value: { type: "open-source", file: "/a.js", line: 3, column: 1 }, skippedEvents: 0 });
    assert.deepEqual(parseFromWebview({ type: "open-source", file: "", line: 3, column: 1 }), { ok: false, error: "malformed open-source message" });
    assert.deepEqual(parseFromWebview({ type: "run-shell", command: "rm -rf /" }), { ok: false, error: 'unknown message type "run-shell"' });
    assert.deepEqual(parseFromWebview("ready"), { ok: false, error: "message is not an object" });
  });
});
