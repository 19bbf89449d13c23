// The rule registry: one line per rule, each rule in its own file named after its id.
import type { Rule } from "../rule";
import { blockingCall } from "./blocking-call";
import { lockAcrossAwait } from "./lock-across-await";
import { lockNotReleased } from "./lock-not-released";
import { lockOrder } from "./lock-order";
import { lockReentry } from "./lock-reentry";
import { ignoredBackpressure } from "./ignored-backpressure";
import { unboundedFanout } from "./unbounded-fanout";
import { unboundedQueue } from "./unbounded-queue";

export const RULES: readonly Rule[] = [
  blockingCall,
  lockAcrossAwait,
  lockNotReleased,
  lockOrder,
  lockReentry,
  ignoredBackpressure,
  unboundedFanout,
  unboundedQueue,
];
