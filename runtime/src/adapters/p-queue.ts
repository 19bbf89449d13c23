// p-queue and p-limit: their depth (waiting) and active counts, sampled.
import { trackQueue } from "../queues";

const patched = new WeakSet<object>();
type AnyFn = (...args: unknown[]) => unknown;

interface PQueueLike {
  size: number;
  pending: number;
  concurrency?: number;
}

export function adaptPQueue(PQueue: { prototype: Record<string, unknown> } | undefined): void {
  const proto = PQueue?.prototype;
  if (!proto || patched.has(proto)) return;
  patched.add(proto);
  for (const name of ["add", "addAll"]) {
    const original = proto[name];
    if (typeof original !== "function") continue;
    proto[name] = function (this: PQueueLike, ...args: unknown[]) {
      trackQueue(this, "p-queue", "PQueue", (q) => ({ depth: (q as PQueueLike).size, active: (q as PQueueLike).pending }));
      return (original as AnyFn).apply(this, args);
    };
  }
}

interface LimitLike {
  activeCount: number;
  pendingCount: number;
}

/** Returns a pLimit that tracks every limiter it creates. */
export function adaptPLimit(pLimit: AnyFn | undefined): AnyFn | undefined {
  if (typeof pLimit !== "function") return pLimit;
  const tracked = function (this: unknown, ...args: unknown[]) {
    const limit = pLimit.apply(this, args) as object;
    trackQueue(limit, "p-limit", `pLimit(${String(args[0] && typeof args[0] === "object" ? (args[0] as { concurrency?: unknown }).concurrency : args[0])})`, (l) => ({
      depth: (l as LimitLike).pendingCount,
      active: (l as LimitLike).activeCount,
    }));
    return limit;
  };
  return tracked;
}
