import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { FrameDecoder, MAX_HELLO_BYTES, PROTOCOL_VERSION, TRACE_FILE_MAGIC, decodeTraceFile, encodeFrame, validateMessage, type BatchMessage } from "../../runtime/src/protocol";

const batch = (events: unknown[]): unknown => ({ v: PROTOCOL_VERSION, type: "batch", process: { pid: 1, threadId: 0 }, seq: 0, events });
const task = { type: "task", t: 1, id: 2, parent: 0, kind: "promise", site: { file: "/a.ts", line: 3, column: 4 } };

describe("protocol", () => {
  it("accepts every well-formed event type", () => {
    const result = validateMessage(
      batch([
        task,
        { type: "run", t: 1, id: 2, dur: 0.5 },
        { type: "settle", t: 2, id: 2, state: "rejected" },
        { type: "loop", t: 0, windowMs: 1000, delay: { min: 1, max: 2, mean: 1, p50: 1, p90: 2, p99: 2 }, utilization: 0.3 },
        { type: "block", t: 5, dur: 80, task: 2, stack: [{ fn: "spin", file: "/a.js", line: 4, column: 3 }], site: { file: "/a.js", line: 4, column: 3 } },
        { type: "lock", t: 6, lock: 1, name: "Mutex#1", source: "async-mutex", op: "wait", holder: 9, task: 2 },
        { type: "queue", t: 7, queue: 1, name: "WriteStream", source: "stream", depth: 10, capacity: 16 },
        { type: "warning", t: 8, check: "queue-growing", message: "grew", queue: 1 },
        { type: "counts", t: 9, rootsSeen: 10, rootsSampled: 1, dropped: { ring: 0, socket: 0, file: 0 }, memoryBytes: 100 },
        { type: "keyframe", t: 10, openTasks: [], openTasksOmitted: 0, locks: [], queues: [] },
        { type: "end", t: 11, reason: "exit" },
      ]),
    );
    assert.ok(result.ok, !result.ok ? result.error : "");
    assert.equal(result.value.type === "batch" && result.value.events.length, 11);
  });

  it("skips event types from a newer runtime and ignores added fields", () => {
    const result = validateMessage(batch([{ type: "future-thing", t: 1 }, { ...task, addedLater: true }]));
    assert.ok(result.ok);
    assert.equal(result.skipped, 1);
    assert.equal((result.value as BatchMessage).events.length, 1);
  });

  it("rejects known events with wrong fields, and messages without a version", () => {
    assert.equal(validateMessage(batch([{ ...task, id: "2" }])).ok, false);
    assert.equal(validateMessage(batch([{ type: "settle", t: 1, id: 2, state: "maybe" }])).ok, false);
    assert.equal(validateMessage({ type: "batch", process: { pid: 1, threadId: 0 }, seq: 0, events: [] }).ok, false);
    assert.equal(validateMessage({ v: 1, type: "hello", role: "admin", token: "x" }).ok, false);
    assert.equal(validateMessage("nonsense").ok, false);
  });

  it("decodes frames split at any byte boundary", () => {
    const frames = [encodeFrame(batch([task]) as BatchMessage), encodeFrame({ v: 1, type: "hello", role: "viewer", token: "t" })];
    const all = new Uint8Array([...frames[0], ...frames[1]]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: all.length }), { maxLength: 6 }), (cuts) => {
        const decoder = new FrameDecoder();
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), all.length];
        const out = points.slice(1).flatMap((end, i) => decoder.push(all.subarray(points[i], end)));
        assert.deepEqual(
          out.map((f) => f.ok && f.message.type),
          ["batch", "hello"],
        );
      }),
    );
  });

  it("refuses an oversized frame before reading it, and garbage, fatally", () => {
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setUint32(0, MAX_HELLO_BYTES + 1, true);
    const [oversized] = new FrameDecoder(MAX_HELLO_BYTES).push(huge);
    assert.ok(!oversized.ok && oversized.fatal && /exceeds/.test(oversized.error));
    const garbage = new Uint8Array([5, 0, 0, 0, 0xff, 0xfe, 0x00, 0x41, 0x42]);
    const [bad] = new FrameDecoder().push(garbage);
    assert.ok(!bad.ok && bad.fatal);
  });

  it("reads a trace file up to its last complete record when the end is torn", () => {
    const first = encodeFrame(batch([task]) as BatchMessage);
    const second = encodeFrame(batch([{ ...task, id: 3 }]) as BatchMessage);
    const bytes = new Uint8Array([...TRACE_FILE_MAGIC, ...first, ...second]);
    for (let cut = TRACE_FILE_MAGIC.length + first.length; cut < bytes.length; cut++) {
      const decoded = decodeTraceFile(bytes.subarray(0, cut));
      assert.equal(decoded.messages.length, 1, `cut at ${cut}`);
      assert.equal(decoded.truncated, cut > TRACE_FILE_MAGIC.length + first.length);
    }
    assert.equal(decodeTraceFile(bytes).messages.length, 2);
    assert.throws(() => decodeTraceFile(new Uint8Array([1, 2, 3])), /bad magic/);
  });

  it("has no Node imports, so the panel's webview can bundle it", () => {
    const source = fs.readFileSync(path.join(__dirname, "../../../runtime/src/protocol.ts"), "utf8");
    assert.doesNotMatch(source, /require\(|from "node:/);
  });
});
