// What the main thread hands the collector worker.
import type { ProcessEvent } from "../protocol";
import type { RuntimeConfig } from "../config";

export interface CollectorData {
  asyncLensInternal: true;
  ring: SharedArrayBuffer;
  heartbeat: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** The string arena the ring's String records point into. */
  strings: SharedArrayBuffer;
  config: RuntimeConfig;
  processEvent: ProcessEvent;
  /** Only one process of a run listens; its children would collide on the port. */
  listen: boolean;
  readStacks: boolean;
  runtimeDir: string;
}

