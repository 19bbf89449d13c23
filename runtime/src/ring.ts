// A single-producer, single-consumer ring of fixed-width numeric records in a
// SharedArrayBuffer (what the records mean: shared-memory.ts). The main thread writes without allocating; the collector
// worker reads and does everything else. When the ring is full the record is
// dropped and counted: a slow reader never makes the writer wait or grow.

export const RECORD_SLOTS = 6;
export const RECORD_BYTES = RECORD_SLOTS * 8;

/** Int32 header: write index, read index, records dropped because the ring was full. */
const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;
const HEADER_BYTES = 16;

/** Capacity is rounded down to a power of two so indices can wrap as int32. */
export function createRingBuffer(maxRecords: number): SharedArrayBuffer {
  const capacity = 2 ** Math.floor(Math.log2(Math.max(16, maxRecords)));
  return new SharedArrayBuffer(HEADER_BYTES + capacity * RECORD_BYTES);
}

export function ringCapacity(buffer: SharedArrayBuffer): number {
  return (buffer.byteLength - HEADER_BYTES) / RECORD_BYTES;
}

export class RingWriter {
  private readonly header: Int32Array;
  private readonly slots: Float64Array;
  private readonly capacity: number;
  private head = 0;
  private knownTail = 0;
  private dropped = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 4);
    this.slots = new Float64Array(buffer, HEADER_BYTES);
    this.capacity = ringCapacity(buffer);
  }

  /** Appends a record; false when the ring was full and it was dropped. */
  write(s0: number, s1: number, s2: number, s3: number, s4: number, s5: number): boolean {
    if (((this.head - this.knownTail) | 0) >= this.capacity) {
      this.knownTail = Atomics.load(this.header, TAIL);
      if (((this.head - this.knownTail) | 0) >= this.capacity) {
        Atomics.store(this.header, DROPPED, ++this.dropped);
        return false;
      }
    }
    const at = (this.head & (this.capacity - 1)) * RECORD_SLOTS;
    const slots = this.slots;
    slots[at] = s0;
    slots[at + 1] = s1;
    slots[at + 2] = s2;
    slots[at + 3] = s3;
    slots[at + 4] = s4;
    slots[at + 5] = s5;
    // Publishing the index after the slots is what makes them visible to the reader.
    this.head = (this.head + 1) | 0;
    Atomics.store(this.header, HEAD, this.head);
    return true;
  }
}

export class RingReader {
  private readonly header: Int32Array;
  private readonly slots: Float64Array;
  private readonly capacity: number;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 4);
    this.slots = new Float64Array(buffer, HEADER_BYTES);
    this.capacity = ringCapacity(buffer);
  }

  get dropped(): number {
    return Atomics.load(this.header, DROPPED);
  }

  /** Index the writer has published up to. */
  published(): number {
    return Atomics.load(this.header, HEAD);
  }

  /** Calls `visit` for at most `max` records up to `until`, then frees their slots; returns how many. */
  drain(until: number, max: number, visit: (slots: Float64Array, at: number) => void): number {
    let tail = Atomics.load(this.header, TAIL);
    let n = 0;
    while (tail !== until && n < max) {
      visit(this.slots, (tail & (this.capacity - 1)) * RECORD_SLOTS);
      tail = (tail + 1) | 0;
      n++;
    }
    Atomics.store(this.header, TAIL, tail);
    return n;
  }

  /** Frees every record up to `until` unread; returns how many. */
  skip(until: number): number {
    const tail = Atomics.load(this.header, TAIL);
    Atomics.store(this.header, TAIL, until);
    return (until - tail) | 0;
  }
}
