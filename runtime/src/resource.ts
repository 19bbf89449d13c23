// The public API for a program's own locks and queues, recorded exactly like
// the library adapters' so the panel and warnings treat them the same.
import { activeRecorder } from "./runtime-state";
import { lockAcquired, lockId, lockReleased, lockWait } from "./locks";
import { declareQueue, recordQueueDepth } from "./queues";

export interface LockWait {
  /** The lock was granted to this waiter. */
  acquired(): void;
  /** The waiter gave the lock back, or gave up waiting. */
  released(): void;
}

export interface LockResource {
  readonly kind: "lock";
  /** Records a wait starting now. */
  wait(): LockWait;
}

export interface QueueResource {
  readonly kind: "queue";
  /** Records the queue's depth now (items waiting) and, optionally, items in progress. */
  depth(waiting: number, active?: number): void;
}

export function resource(kind: "lock", name: string): LockResource;
export function resource(kind: "queue", name: string, options?: { capacity?: number }): QueueResource;
export function resource(kind: "lock" | "queue", name: string, options: { capacity?: number } = {}): LockResource | QueueResource {
  if (kind === "lock") {
    const owner = {};
    return {
      kind,
      wait() {
        const rec = activeRecorder();
        if (!rec) return { acquired() {}, released() {} };
        const lock = lockId(rec, owner, "resource", () => name);
        const holder = lockWait(rec, lock);
        let state = 0;
        return {
          acquired() {
            if (state !== 0) return;
            state = 1;
            lockAcquired(rec, lock, holder);
          },
          released() {
            if (state === 2) return;
            state = 2;
            lockReleased(rec, lock, holder);
          },
        };
      },
    };
  }
  let id: number | undefined;
  return {
    kind,
    depth(waiting: number, active?: number) {
      const rec = activeRecorder();
      if (!rec) return;
      id ??= declareQueue(rec, "resource", name);
      recordQueueDepth(rec, id, { depth: waiting, ...(options.capacity !== undefined ? { capacity: options.capacity } : {}), ...(active !== undefined ? { active } : {}) });
    },
  };
}
