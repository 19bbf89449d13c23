// The catalogue of queue, channel and subject types: data, not code branches.
// Streams are recognised by their types (a Node Writable, a WebSocket), not
// listed here; this table names the libraries whose queues grow on demand.

/**
 * How a queue type is bounded, which decides what the `unbounded-queue` rule looks for:
 * - `work`: a task queue (p-queue, fastq, async.queue) that grows as fast as its
 *   producer adds; bounded only when the producer checks the size or waits.
 * - `replay`: a subject that replays its history; bounded by its first argument.
 * - `pushable`: a push-to-pull buffer (it-pushable) with no bound of its own;
 *   bounded only when the code watches its length or waits for it to empty.
 */
export type QueueKind = "work" | "replay" | "pushable";

export interface QueueType {
  /** Normalised module that exports the queue (`p-queue`, `it-pushable`). */
  module: string;
  /** Exported class or factory name; `default` for a default export. */
  name: string;
  /** Defaults to `work`: the shape configured extra queues are assumed to have. */
  kind?: QueueKind;
  /** Methods that add an item (`add`, `push`); defaults to {@link DEFAULT_ENQUEUE_METHODS}. */
  enqueue?: readonly string[];
  /** Members whose use shows the producer watches the size; defaults to {@link DEFAULT_SIZE_CHECKS}. */
  sizeChecks?: readonly string[];
}

export const DEFAULT_ENQUEUE_METHODS: readonly string[] = ["add", "push", "enqueue", "put", "send"];
export const DEFAULT_SIZE_CHECKS: readonly string[] = ["size", "length", "pending", "onSizeLessThan", "onEmpty"];

const P_QUEUE = { kind: "work", enqueue: ["add", "addAll"], sizeChecks: ["size", "pending", "onSizeLessThan", "onEmpty", "sizeBy"] } as const;
const FASTQ = { kind: "work", enqueue: ["push", "unshift"], sizeChecks: ["length", "saturated", "unsaturated", "empty", "drained"] } as const;
const ASYNC = { kind: "work", enqueue: ["push", "unshift", "pushAsync", "unshiftAsync"], sizeChecks: ["length", "saturated", "unsaturated", "running"] } as const;
const PUSHABLE = { kind: "pushable", enqueue: ["push"], sizeChecks: ["readableLength", "onEmpty"] } as const;

export const QUEUE_TYPES: readonly QueueType[] = [
  { module: "p-queue", name: "default", ...P_QUEUE },
  { module: "p-queue", name: "PQueue", ...P_QUEUE },
  { module: "fastq", name: "default", ...FASTQ },
  { module: "fastq", name: "fastq", ...FASTQ },
  { module: "fastq", name: "promise", ...FASTQ },
  { module: "async", name: "queue", ...ASYNC },
  { module: "async", name: "priorityQueue", ...ASYNC },
  { module: "async", name: "cargo", ...ASYNC },
  { module: "async", name: "cargoQueue", ...ASYNC },
  { module: "async/queue", name: "default", ...ASYNC },
  { module: "async/priorityQueue", name: "default", ...ASYNC },
  { module: "it-pushable", name: "pushable", ...PUSHABLE },
  { module: "it-pushable", name: "default", ...PUSHABLE },
  { module: "it-pushable", name: "pushableV", ...PUSHABLE },
  { module: "rxjs", name: "ReplaySubject", kind: "replay" },
];

export function queueKind(type: QueueType): QueueKind {
  return type.kind ?? "work";
}
