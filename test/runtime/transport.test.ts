import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { PROTOCOL_VERSION, encodeFrame, type BatchMessage, type TraceEvent } from "../../runtime/src/protocol";
import { attachToRuntime } from "../../runtime/src/transport/viewer-client";
import { listenForRuntimes } from "../../runtime/src/transport/editor-listener";
import type { ConnectionInfo } from "../../runtime/src/transport/viewer-server";
import { waitForFile } from "../support/wait";
import { EVERY_ROOT, PROGRAMS, cleanEnv, run, runTraced, tempFile } from "./helpers";

/** Sends `bytes` and resolves when the runtime closes the connection. */
function sendAndExpectClose(info: ConnectionInfo, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(info.port, info.host, () => socket.write(bytes));
    let received = 0;
    socket.on("data", (d) => (received += d.length));
    socket.on("error", () => undefined);
    socket.on("close", () => (received === 0 ? resolve() : reject(new Error(`runtime sent ${received} bytes to a refused peer`))));
  });
}

function hugeFrameHeader(): Uint8Array {
  const header = new Uint8Array(4 + 64);
  new DataView(header.buffer).setUint32(0, 512 * 1024 * 1024, true);
  return header;
}

describe("runtime: transport", function () {
  this.timeout(30_000);

  it("listen mode: refuses a wrong token, garbage and a huge frame, logs them, and serves a real viewer", async () => {
    const tokenFile = tempFile("runtime.json");
    const received: TraceEvent[] = [];
    const result = await runTraced("steady-work.js", { ASYNC_LENS_LISTEN: "127.0.0.1:0", ASYNC_LENS_TOKEN_FILE: tokenFile }, [], async (child) => {
      await waitForFile(tokenFile);
      assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
      const info = JSON.parse(fs.readFileSync(tokenFile, "utf8")) as ConnectionInfo;
      assert.equal(info.host, "127.0.0.1");
      assert.match(info.token, /^[0-9a-f]{32}$/);

      await sendAndExpectClose(info, encodeFrame({ v: PROTOCOL_VERSION, type: "hello", role: "viewer", token: "0".repeat(32) }));
      await sendAndExpectClose(info, new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      await sendAndExpectClose(info, hugeFrameHeader());
      await sendAndExpectClose(info, encodeFrame({ v: PROTOCOL_VERSION, type: "batch", process: { pid: 1, threadId: 0 }, seq: 0, events: [] }));

      await child.waitForStdout(/working/);
      let viewer: ReturnType<typeof attachToRuntime> | undefined;
      await new Promise<void>((resolve) => {
        viewer = attachToRuntime(tokenFile, (batch: BatchMessage) => {
          received.push(...batch.events);
          if (received.some((e) => e.type === "keyframe") && received.some((e) => e.type === "task")) resolve();
        });
      });
      viewer?.close();
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "working\ndone true\n");
    assert.equal(result.stderr, "");
    assert.equal(received[0].type, "process");
    assert.match(result.log, /refused .*wrong token/);
    assert.match(result.log, /refused .*(not UTF-8 JSON|exceeds)/);
    assert.match(result.log, /refused .*exceeds the limit/);
    assert.match(result.log, /refused .*not a viewer hello/);
    assert.ok(!fs.existsSync(tokenFile), "token file left behind");
  });

  it("connect mode: streams to the editor that holds the token and never to one that does not", async () => {
    const batches: BatchMessage[] = [];
    const refused: string[] = [];
    const editor = await listenForRuntimes({ onBatch: (b) => batches.push(b), onRefused: (r) => refused.push(r) });
    try {
      const good = await run(["--import", "async-lens/register", path.join(PROGRAMS, "blocks.mjs")], cleanEnv({ ...editor.env, ...EVERY_ROOT }));
      assert.equal(good.code, 0, good.stderr);
      const events = batches.flatMap((b) => b.events);
      assert.equal(events[0].type, "process");
      assert.ok(events.some((e) => e.type === "block"));
      assert.ok(events.some((e) => e.type === "end"));

      const before = batches.length;
      const bad = await run(["--import", "async-lens/register", path.join(PROGRAMS, "blocks.mjs")], cleanEnv({ ...editor.env, ASYNC_LENS_TOKEN: "f".repeat(32) }));
      assert.equal(bad.code, 0, bad.stderr);
      assert.equal(bad.stdout, "ok\n");
      assert.equal(batches.length, before);
      assert.ok(refused.includes("wrong token"), refused.join());
    } finally {
      await editor.close();
    }
  });
});
