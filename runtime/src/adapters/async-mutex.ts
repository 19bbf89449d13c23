// async-mutex: Mutex and withTimeout both delegate to a Semaphore, so patching
// Semaphore.prototype.acquire and .release covers every way in (acquire,
// runExclusive, releasers, withTimeout wrappers). Mutex methods only label
// their inner semaphore so the lock reads "Mutex#n".
import { activeRecorder } from "../runtime-state";
import { lockAcquired, lockId, lockReleased, lockWait } from "../locks";

const SOURCE = "async-mutex";
const PACKAGE_DIR = "/node_modules/async-mutex/";
const patched = new WeakSet<object>();
const labels = new WeakMap<object, string>();
/** Holders of each semaphore, oldest first: release() does not say whose turn ends. */
const holders = new WeakMap<object, number[]>();

type AnyFn = (...args: unknown[]) => unknown;
interface SemaphoreProto {
  acquire: AnyFn;
  release: AnyFn;
}

export function adaptAsyncMutex(exports: { Semaphore?: { prototype: SemaphoreProto }; Mutex?: { prototype: Record<string, unknown> } }): void {
  const semaphore = exports.Semaphore?.prototype;
  if (!semaphore || patched.has(semaphore)) return;
  patched.add(semaphore);
  const acquire = semaphore.acquire;
  const release = semaphore.release;

  semaphore.acquire = function (this: object, ...args: unknown[]) {
    const rec = activeRecorder();
    if (!rec) return acquire.apply(this, args);
    const lock = lockId(rec, this, SOURCE, (id) => `${labels.get(this) ?? "Semaphore"}#${id}`);
    const holder = lockWait(rec, lock, PACKAGE_DIR);
    // The caller gets the derived promise, so a rejection it leaves unhandled
    // is still reported as unhandled, exactly as without the runtime.
    return (acquire.apply(this, args) as Promise<unknown>).then(
      (value) => {
        lockAcquired(rec, lock, holder);
        let list = holders.get(this);
        if (!list) holders.set(this, (list = []));
        list.push(holder);
        return value;
      },
      (error: unknown) => {
        lockReleased(rec, lock, holder);
        throw error;
      },
    );
  };

  semaphore.release = function (this: object, ...args: unknown[]) {
    const rec = activeRecorder();
    const holder = holders.get(this)?.shift();
    if (rec && holder !== undefined) lockReleased(rec, lockId(rec, this, SOURCE, (id) => `Semaphore#${id}`), holder);
    return release.apply(this, args);
  };

  const mutex = exports.Mutex?.prototype;
  if (!mutex) return;
  for (const name of ["acquire", "runExclusive", "waitForUnlock", "release"]) {
    const original = mutex[name];
    if (typeof original !== "function") continue;
    mutex[name] = function (this: { _semaphore?: object }, ...args: unknown[]) {
      if (this._semaphore && !labels.has(this._semaphore)) labels.set(this._semaphore, "Mutex");
      return (original as AnyFn).apply(this, args);
    };
  }
}
