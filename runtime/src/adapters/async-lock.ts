// async-lock: one lock per (instance, key). The user's function is wrapped so
// that running it is "acquired" and its end is "released"; the wrapper keeps
// the function's arity, which async-lock reads to pick callback or promise mode.
import { activeRecorder } from "../runtime-state";
import { lockAcquired, lockId, lockReleased, lockWait } from "../locks";

const SOURCE = "async-lock";
const PACKAGE_DIR = "/node_modules/async-lock/";
const patched = new WeakSet<object>();
const keyOwners = new WeakMap<object, Map<unknown, object>>();

type AnyFn = (...args: unknown[]) => unknown;

/** Keys can be unbounded (a user id per lock); past this many per instance the oldest are forgotten. */
const MAX_KEYS = 10_000;

function ownerOf(instance: object, key: unknown): object {
  let byKey = keyOwners.get(instance);
  if (!byKey) keyOwners.set(instance, (byKey = new Map()));
  let owner = byKey.get(key);
  if (!owner) {
    byKey.set(key, (owner = {}));
    if (byKey.size > MAX_KEYS) byKey.delete(byKey.keys().next().value);
  }
  return owner;
}

export function adaptAsyncLock(AsyncLock: { prototype: { acquire: AnyFn } } | undefined): void {
  const proto = AsyncLock?.prototype;
  if (!proto || typeof proto.acquire !== "function" || patched.has(proto)) return;
  patched.add(proto);
  const acquire = proto.acquire;
  proto.acquire = function (this: object, key: unknown, fn: unknown, ...rest: unknown[]) {
    const rec = activeRecorder();
    // Batches call acquire once per key, which comes back through here.
    if (!rec || Array.isArray(key) || typeof fn !== "function") return acquire.call(this, key, fn, ...rest);
    const lock = lockId(rec, ownerOf(this, key), SOURCE, () => `async-lock:${String(key)}`);
    const holder = lockWait(rec, lock, PACKAGE_DIR);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      lockReleased(rec, lock, holder);
    };
    const user = fn as AnyFn;
    const wrapped =
      user.length === 1
        ? function (this: unknown, done: AnyFn) {
            lockAcquired(rec, lock, holder);
            return user.call(this, (...results: unknown[]) => {
              release();
              return done(...results);
            });
          }
        : function (this: unknown) {
            lockAcquired(rec, lock, holder);
            try {
              const result = user.call(this);
              if (result && typeof (result as PromiseLike<unknown>).then === "function") (result as PromiseLike<unknown>).then(release, release);
              else release();
              return result;
            } catch (error) {
              release();
              throw error;
            }
          };
    return acquire.call(this, key, wrapped, ...rest);
  };
}
