// Writes frames to a socket without ever holding more than `maxBytes` for it:
// past that, frames are dropped and counted, so a stalled viewer costs memory
// up to the cap and nothing more.
import type { Socket } from "node:net";

export class SocketQueue {
  dropped = 0;
  constructor(
    readonly socket: Socket,
    private readonly maxBytes: number,
  ) {}

  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  send(frame: Uint8Array, events: number): void {
    if (this.socket.destroyed || this.socket.writableLength + frame.length > this.maxBytes) {
      this.dropped += events;
      return;
    }
    this.socket.write(frame);
  }
}
