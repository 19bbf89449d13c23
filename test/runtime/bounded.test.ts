import * as assert from "node:assert/strict";
import * as net from "node:net";
import * as fs from "node:fs";
import { PROTOCOL_VERSION, encodeFrame, type CountsEvent } from "../../runtime/src/protocol";
import { RECORD_SLOTS, RingReader, RingWriter, createRingBuffer } from "../../runtime/src/ring";
import { MAX_STRING_CHARS, StringReader, StringWriter, createStringArena, type StringSlot } from "../../runtime/src/strings";
import type { ConnectionInfo } from "../../runtime/src/transport/viewer-server";
import { EVERY_ROOT, runTraced, tempFile, waitForEvent } from "./helpers";

describe("runtime: bounded buffers", function () {
  this.timeout(30_000);

  it("the ring drops and counts records when the reader falls behind, and never grows", () => {
    const buffer = createRingBuffer(16);
    const writer = new RingWriter(buffer);
    const reader = new RingReader(buffer);
    for (let i = 0; i < 40; i++) writer.write(1, i, 0, 0, 0, 0);
    assert.equal(buffer.byteLength, 16 + 16 * RECORD_SLOTS * 8);
    const seen: number[] = [];
    reader.drain(reader.published(), 100, (slots, at) => seen.push(slots[at + 1]));
    assert.deepEqual(seen, [...Array(16).keys()]);
    assert.equal(reader.dropped, 24);
    writer.write(1, 99, 0, 0, 0, 0);
    reader.drain(reader.published(), 100, (slots, at) => seen.push(slots[at + 1]));
    assert.equal(seen.at(-1), 99);
  });

  it("the ring keeps order across int32 wrap-around of its indices", () => {
    const buffer = createRingBuffer(16);
    const header = new Int32Array(buffer, 0, 4);
    header[0] = header[1] = 2 ** 31 - 5;
    const writer = new RingWriter(buffer);
    (writer as unknown as { head: number; knownTail: number }).head = 2 ** 31 - 5;
    (writer as unknown as { head: number; knownTail: number }).knownTail = 2 ** 31 - 5;
    const reader = new RingReader(buffer);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      writer.write(1, i, 0, 0, 0, 0);
      reader.drain(reader.published(), 100, (slots, at) => seen.push(slots[at + 1]));
    }
    assert.deepEqual(seen, [...Array(12).keys()]);
    assert.equal(reader.dropped, 0);
  });

  it("the string arena refuses strings while full, wraps without splitting one, and cuts long ones", () => {
    const buffer = createStringArena(0);
    const capacity = buffer.byteLength - 8;
    const writer = new StringWriter(buffer);
    const reader = new StringReader(buffer);
    const long = (i: number) => `${i}`.padEnd(MAX_STRING_CHARS + 10, "é");
    const slots: StringSlot[] = [];
    for (let slot = writer.write(long(0)); slot !== undefined && slots.length < 100; slot = writer.write(long(slots.length))) slots.push(slot);
    assert.ok(slots.length >= 2 && slots.length < 100, `${slots.length} strings fit`);
    let wrapped: StringSlot | undefined;
    const read: string[] = [];
    for (const [i, slot] of slots.entries()) {
      read.push(reader.read(slot.start, slot.length)!);
      wrapped ??= writer.write(long(i + 100));
    }
    assert.ok(wrapped, "room again once the reader freed some");
    assert.equal(wrapped.start % capacity, 0, "a string that does not fit before the end starts over at the front");
    read.push(reader.read(wrapped.start, wrapped.length)!);
    const expected = slots.map((_, i) => long(i).slice(0, MAX_STRING_CHARS));
    assert.deepEqual(read.slice(0, -1), expected);
    assert.equal(read.at(-1)!.length, MAX_STRING_CHARS);
    const small = writer.write("GET /ünïcode 🚀");
    assert.equal(reader.read(small!.start, small!.length), "GET /ünïcode 🚀");
    assert.equal(buffer.byteLength, capacity + 8, "never grows");
    assert.equal(reader.read(0, capacity * 2), undefined, "a slot out of bounds reads as nothing");
  });

  it("a viewer that stops reading costs a bounded buffer: its events are dropped and counted", async () => {
    const tokenFile = tempFile("runtime.json");
    const result = await runTraced(
      "steady-work.js",
      { ...EVERY_ROOT, ASYNC_LENS_MEMORY_MB: "16", ASYNC_LENS_KEYFRAME_MS: "100", ASYNC_LENS_LISTEN: "127.0.0.1:0", ASYNC_LENS_TOKEN_FILE: tokenFile },
      [],
      async (_child, traceFile) => {
        await waitForEvent(traceFile, (e): e is CountsEvent => e.type === "counts");
        const info = JSON.parse(fs.readFileSync(tokenFile, "utf8")) as ConnectionInfo;
        const socket = net.connect(info.port, info.host, () => {
          socket.write(encodeFrame({ v: PROTOCOL_VERSION, type: "hello", role: "viewer", token: info.token }));
          socket.pause();
        });
        await waitForEvent(traceFile, (e): e is CountsEvent => e.type === "counts" && e.dropped.socket > 0, 20_000);
        socket.destroy();
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const counts = result.trace.processes[0].events.filter((e): e is CountsEvent => e.type === "counts");
    assert.ok(counts.every((c) => c.memoryBytes <= 16 * 1024 * 1024), `memory ${Math.max(...counts.map((c) => c.memoryBytes))}`);
  });
});
