// The catalogue of lock types: data, not code branches.

export interface LockType {
  /** Normalised module that exports the lock (`async-mutex`). */
  module: string;
  /** Exported class or function name (`Mutex`, `Semaphore`). */
  name: string;
}

export const LOCK_TYPES: readonly LockType[] = [];
