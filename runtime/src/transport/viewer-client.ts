// The viewer's end of listen mode: read the token file the program wrote,
// connect, say hello, and receive validated batches.
import * as fs from "node:fs";
import * as net from "node:net";
import { FrameDecoder, PROTOCOL_VERSION, encodeFrame, type BatchMessage } from "../protocol";
import type { ConnectionInfo } from "./viewer-server";

export interface Viewer {
  close(): void;
  /** Resolves when the runtime closes the connection. */
  closed: Promise<void>;
}

export function attachToRuntime(tokenFile: string, onBatch: (batch: BatchMessage) => void, onError?: (error: string) => void): Viewer {
  const info = JSON.parse(fs.readFileSync(tokenFile, "utf8")) as ConnectionInfo;
  const socket = net.connect(info.port, info.host);
  const frames = new FrameDecoder();
  socket.on("connect", () => socket.write(encodeFrame({ v: PROTOCOL_VERSION, type: "hello", role: "viewer", token: info.token })));
  socket.on("data", (chunk) => {
    for (const frame of frames.push(chunk)) {
      if (!frame.ok) {
        onError?.(frame.error);
        if (frame.fatal) socket.destroy();
      } else if (frame.message.type === "batch") onBatch(frame.message);
    }
  });
  socket.on("error", (error) => onError?.(String(error)));
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  return { close: () => socket.destroy(), closed };
}
