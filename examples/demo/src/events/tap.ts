// unbounded-queue: a tap on the order events with its buffer limit switched
// off. If the consumer stalls, every event stays in memory.
import { PassThrough } from "node:stream";

export function orderEventsTap(): PassThrough {
  return new PassThrough({ objectMode: true, highWaterMark: Infinity });
}
