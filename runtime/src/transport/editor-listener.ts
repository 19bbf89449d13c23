// The editor's end of connect mode: listen on loopback with a fresh token,
// hand both to the program through its environment, accept only runtimes
// that present the token, and validate every frame they send.
import * as net from "node:net";
import { FrameDecoder, MAX_FRAME_BYTES, MAX_HELLO_BYTES, type BatchMessage, type ProcessKey } from "../protocol";
import { HELLO_TIMEOUT_MS, newToken, tokensMatch } from "./auth";

export interface RuntimeListener {
  port: number;
  token: string;
  /** Environment that makes a program launched with the register hook connect here. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface ListenOptions {
  onBatch(batch: BatchMessage, from: ProcessKey): void;
  onRefused?(reason: string): void;
  port?: number;
}

export function listenForRuntimes(options: ListenOptions): Promise<RuntimeListener> {
  const token = newToken();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    const frames = new FrameDecoder(MAX_HELLO_BYTES);
    let from: ProcessKey | undefined;
    const refuse = (reason: string) => {
      options.onRefused?.(reason);
      socket.destroy();
    };
    const deadline = setTimeout(() => refuse("no hello in time"), HELLO_TIMEOUT_MS);
    socket.on("data", (chunk) => {
      frames.append(chunk);
      for (let frame = frames.next(); frame !== undefined; frame = frames.next()) {
        if (!frame.ok) return refuse(frame.error);
        const message = frame.message;
        if (from === undefined) {
          clearTimeout(deadline);
          if (message.type !== "hello" || message.role !== "runtime" || !message.process) return refuse("first frame is not a runtime hello");
          if (!tokensMatch(token, message.token)) return refuse("wrong token");
          from = message.process;
          frames.maxFrameBytes = MAX_FRAME_BYTES;
          continue;
        }
        if (message.type === "batch") options.onBatch(message, from);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        token,
        env: { ASYNC_LENS_CONNECT: `127.0.0.1:${port}`, ASYNC_LENS_TOKEN: token },
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
