// The public API of the Async Lens runtime.
export { start, stop, isRunning } from "./agent";
export { resource, type LockResource, type LockWait, type QueueResource } from "./resource";
export { trackReadable, trackWritable } from "./queues";
export type { RuntimeConfig } from "./config";
