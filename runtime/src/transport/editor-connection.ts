// Connect mode (ASYNC_LENS_CONNECT + ASYNC_LENS_TOKEN): the editor listens on
// loopback and the program connects, proving itself with the token the
// editor put in its environment. While disconnected, frames are dropped and
// counted; the connection is retried without end, at a gentle pace.
import * as net from "node:net";
import { PROTOCOL_VERSION, encodeFrame, type ProcessKey } from "../protocol";
import { SocketQueue } from "./socket-queue";
import type { Sink } from "./sink";
import { log } from "../log";

const RETRY_MS = 1000;

export class EditorConnection implements Sink {
  private queue?: SocketQueue;
  private closed = false;
  private lost = 0;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly token: string,
    private readonly processKey: ProcessKey,
    private readonly greeting: () => Uint8Array[],
    private readonly maxBytes: number,
  ) {
    this.connect();
  }

  get dropped(): number {
    return this.lost + (this.queue?.dropped ?? 0);
  }

  get bufferedBytes(): number {
    return this.queue?.bufferedBytes ?? 0;
  }

  private connect(): void {
    const socket = net.connect(this.port, this.host);
    socket.unref();
    socket.on("connect", () => {
      const queue = new SocketQueue(socket, this.maxBytes);
      queue.send(encodeFrame({ v: PROTOCOL_VERSION, type: "hello", role: "runtime", token: this.token, process: this.processKey }), 0);
      for (const frame of this.greeting()) queue.send(frame, 0);
      this.queue = queue;
    });
    // The editor has nothing to tell the runtime yet; reading keeps the socket flowing.
    socket.on("data", () => undefined);
    // async-lens-ignore-next-line blocking-call -- the runtime's own log is off unless ASYNC_LENS_LOG is set, and writes synchronously so that no line is lost when the program exits
    socket.on("error", (error) => log(`connect ${this.host}:${this.port}: ${String(error)}`));
    socket.on("close", () => {
      if (this.queue?.socket === socket) {
        this.lost += this.queue.dropped;
        this.queue = undefined;
      }
      if (this.closed) return;
      this.retry = setTimeout(() => this.connect(), RETRY_MS);
      this.retry.unref();
    });
  }

  send(frame: Uint8Array, events: number): void {
    if (!this.queue) {
      this.lost += events;
      return;
    }
    this.queue.send(frame, events);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.queue?.socket.end();
  }
}
