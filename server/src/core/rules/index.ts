// The rule registry: one line per rule, each rule in its own file named after its id.
import type { Rule } from "../rule";
import { blockingCall } from "./blocking-call/blocking-call";
import { lockAcrossAwait } from "./locks/lock-across-await";
import { lockNotReleased } from "./locks/lock-not-released";
import { lockOrder } from "./locks/lock-order";
import { lockReentry } from "./locks/lock-reentry";
import { ignoredBackpressure } from "./ignored-backpressure/ignored-backpressure";
import { unboundedFanout } from "./unbounded-fanout/unbounded-fanout";
import { unboundedQueue } from "./unbounded-queue/unbounded-queue";

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
