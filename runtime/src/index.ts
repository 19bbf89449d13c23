// The public API of the Async Lens runtime.
export { start, stop, isRunning } from "./agent";
export { resource, type LockResource, type LockWait, type QueueResource } from "./resource";
export { trackReadable, trackWritable } from "./queues";
export type { RuntimeConfig } from "./config";

/**
 * Exports a trace file as OpenTelemetry spans through `tracer` (root task =
 * span, child tasks = child spans). Loaded on first use, so programs that
 * never call it need no @opentelemetry/api.
 */
export function exportToOpenTelemetry(traceFile: string, tracer: import("@opentelemetry/api").Tracer): number {
  const { loadTrace } = require("./trace-reader") as typeof import("./trace-reader");
  const { exportTrace } = require("./otel-bridge") as typeof import("./otel-bridge");
  return exportTrace(loadTrace(traceFile).processes, tracer);
}
