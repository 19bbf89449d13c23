// The catalogue of queue, channel and stream types: data, not code branches.

export interface QueueType {
  /** Normalised module that exports the queue (`p-queue`, `it-pushable`). */
  module: string;
  /** Exported class or function name. */
  name: string;
}

export const QUEUE_TYPES: readonly QueueType[] = [];
