// Strings for the collector (creation sites, lock and queue names, request
// lines) travel as UTF-8 bytes in a shared arena, each announced by a record
// in the ring. A postMessage per string would clone it and wake the collector
// thread (a wake-up costs more here than the work it brings); the arena costs
// a copy, and since the announcing record is in the ring, every string reaches
// the collector before the records that use it.

/** Int32 header: bytes freed by the reader (a counter that wraps as int32). */
const FREED = 0;
const HEADER_BYTES = 8;
/** Longer strings are cut: a request line with a huge query string, say. */
export const MAX_STRING_CHARS = 2048;
/** UTF-8 needs at most 3 bytes per UTF-16 unit (a surrogate pair's 4 bytes are 2 units). */
const MAX_STRING_BYTES = MAX_STRING_CHARS * 3;

/** Capacity is rounded down to a power of two, and holds at least two of the longest strings. */
export function createStringArena(bytes: number): SharedArrayBuffer {
  const capacity = Math.max(2 ** Math.ceil(Math.log2(2 * MAX_STRING_BYTES)), 2 ** Math.floor(Math.log2(Math.max(1, bytes))));
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

export interface StringSlot {
  start: number;
  length: number;
}

export class StringWriter {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly capacity: number;
  private readonly encoder = new TextEncoder();
  private head = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.capacity = this.bytes.length;
  }

  /** Copies a string in; undefined when the reader has not yet freed enough room. */
  write(value: string): StringSlot | undefined {
    const text = value.length > MAX_STRING_CHARS ? value.slice(0, MAX_STRING_CHARS) : value;
    const room = text.length * 3;
    // A string is never split across the end: it starts over at the front.
    const offset = this.head & (this.capacity - 1);
    const start = offset + room > this.capacity ? (this.head + this.capacity - offset) | 0 : this.head;
    if (((start + room - Atomics.load(this.header, FREED)) | 0) > this.capacity) return undefined;
    const at = start & (this.capacity - 1);
    const { written } = this.encoder.encodeInto(text, this.bytes.subarray(at, at + room));
    this.head = (start + written) | 0;
    return { start, length: written };
  }
}

export class StringReader {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly capacity: number;
  private readonly decoder = new TextDecoder();

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.capacity = this.bytes.length;
  }

  /** The string at a slot a record announced; frees the arena up to its end. */
  read(start: number, length: number): string | undefined {
    const at = start & (this.capacity - 1);
    if (!(length >= 0 && length <= MAX_STRING_BYTES && at + length <= this.capacity)) return undefined;
    const value = this.decoder.decode(this.bytes.subarray(at, at + length));
    Atomics.store(this.header, FREED, (start + length) | 0);
    return value;
  }
}
