// The rule registry: one line per rule, each rule in a folder (or file) named after its id,
// the lock rules together in locks/ with the machinery they share.
import type { Rule } from "../rule";
import { blockingCall } from "./blocking-call/blocking-call";
import { lockAcrossAwait } from "./locks/lock-across-await";
import { lockNotReleased } from "./locks/lock-not-released";
import { lockOrder } from "./locks/lock-order";
import { lockReentry } from "./locks/lock-reentry";
import { ignoredBackpressure } from "./ignored-backpressure/ignored-backpressure";
import { unboundedFanout } from "./unbounded-fanout/unbounded-fanout";
import { unboundedQueue } from "./unbounded-queue/unbounded-queue";
import { unusedSuppression } from "./unused-suppression";

export const RULES: readonly Rule[] = [
  blockingCall,
  lockAcrossAwait,
  lockNotReleased,
  lockOrder,
  lockReentry,
  ignoredBackpressure,
  unboundedFanout,
  unboundedQueue,
  unusedSuppression,
];
