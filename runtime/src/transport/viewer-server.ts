// Listen mode (ASYNC_LENS_LISTEN): the program accepts viewers on loopback.
// The token goes to a file only its owner can read; a peer must send it in
// its first frame within a deadline. Anything else (wrong token, garbage, an
// oversized frame) is logged and the connection dropped: the host program
// never sees any of it.
import * as fs from "node:fs";
import * as net from "node:net";
import { FrameDecoder, MAX_HELLO_BYTES, PROTOCOL_VERSION } from "../protocol";
import { HELLO_TIMEOUT_MS, newToken, tokensMatch } from "./auth";
import { SocketQueue } from "./socket-queue";
import type { Sink } from "./sink";
import { log } from "../log";

const MAX_VIEWERS = 4;

export interface ConnectionInfo {
  v: number;
  host: string;
  port: number;
  token: string;
  pid: number;
}

export function writeTokenFile(file: string, info: ConnectionInfo): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Nothing to replace.
  }
  // Exclusive create with 0600: nobody else can have it open or read it.
  fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600, flag: "wx" });
}

export class ViewerServer implements Sink {
  private readonly server: net.Server;
  private readonly viewers = new Set<SocketQueue>();
  private readonly token = newToken();
  private lostToGone = 0;

  constructor(
    host: string,
    port: number,
    private readonly tokenFile: string,
    /** Frames a viewer needs first: the process description and a keyframe. */
    private readonly greeting: () => Uint8Array[],
    private readonly maxBytesPerViewer: number,
  ) {
    // async-lens-ignore-next-line blocking-call -- the runtime's own log is off unless ASYNC_LENS_LOG is set, and writes synchronously so that no line is lost when the program exits
    this.server = net.createServer((socket) => this.accept(socket));
    // async-lens-ignore-next-line blocking-call -- the runtime's own log is off unless ASYNC_LENS_LOG is set, and writes synchronously so that no line is lost when the program exits
    this.server.on("error", (error) => log(`listen ${host}:${port}: ${String(error)}`));
    this.server.listen(port, host, () => {
      const address = this.server.address() as net.AddressInfo;
      try {
        writeTokenFile(tokenFile, { v: PROTOCOL_VERSION, host: address.address, port: address.port, token: this.token, pid: process.pid });
      } catch (error) {
        log(`token file ${tokenFile}: ${String(error)}`);
      }
    });
    this.server.unref();
  }

  get dropped(): number {
    let n = this.lostToGone;
    for (const v of this.viewers) n += v.dropped;
    return n;
  }

  get bufferedBytes(): number {
    let n = 0;
    for (const v of this.viewers) n += v.bufferedBytes;
    return n;
  }

  private accept(socket: net.Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on("error", () => undefined);
    if (this.viewers.size >= MAX_VIEWERS) return this.refuse(socket, peer, "too many viewers");
    const frames = new FrameDecoder(MAX_HELLO_BYTES);
    const deadline = setTimeout(() => this.refuse(socket, peer, "no hello in time"), HELLO_TIMEOUT_MS);
    deadline.unref();
    let viewer: SocketQueue | undefined;
    socket.on("data", (chunk) => {
      // Once authenticated a viewer has nothing to say; its bytes are ignored.
      if (viewer) return;
      const [first] = frames.push(chunk);
      if (first === undefined) return;
      clearTimeout(deadline);
      if (!first.ok) return this.refuse(socket, peer, first.error);
      const hello = first.message;
      if (hello.type !== "hello" || hello.role !== "viewer") return this.refuse(socket, peer, "first frame is not a viewer hello");
      if (!tokensMatch(this.token, hello.token)) return this.refuse(socket, peer, "wrong token");
      viewer = new SocketQueue(socket, this.maxBytesPerViewer);
      for (const frame of this.greeting()) viewer.send(frame, 0);
      this.viewers.add(viewer);
      log(`viewer ${peer} attached`);
    });
    socket.on("close", () => {
      clearTimeout(deadline);
      if (viewer) {
        this.lostToGone += viewer.dropped;
        this.viewers.delete(viewer);
      }
    });
  }

  private refuse(socket: net.Socket, peer: string, reason: string): void {
    log(`refused ${peer}: ${reason}`);
    socket.destroy();
  }

  send(frame: Uint8Array, events: number): void {
    for (const viewer of this.viewers) viewer.send(frame, events);
  }

  close(): void {
    for (const viewer of this.viewers) viewer.socket.destroy();
    this.server.close();
    try {
      fs.unlinkSync(this.tokenFile);
    } catch {
      // Already gone.
    }
  }
}
