// The catalogue of lock types: data, not code branches. An entry names the
// class (or the exported function) of a library and how each of its methods
// takes and gives back the lock. Lock-shaped objects that are not listed here
// (hand-written Mutex classes, the user's configured extras) are recognised by
// their shape instead; see core/rules/locks/detect.ts.

/**
 * How holding the lock is scoped:
 * - `callback`: the lock is held while a function argument runs (`runExclusive(fn)`);
 * - `release-function`: the call resolves to a function that releases (`const release = await mutex.acquire()`);
 * - `release-method`: a method of the lock itself releases (`await lock.acquireAsync(); … lock.release()`);
 * - `handle`: the call resolves to an object whose method releases (`const l = await redlock.acquire(…); … await l.release()`).
 */
export type AcquireStyle = "callback" | "release-function" | "release-method" | "handle";

/** What the lock protects: memory of this process, a file, or a record on a server. */
export type GuardedResource = "memory" | "file" | "remote";

export interface LockMethod {
  /** Method (or exported function) name that takes the lock. */
  name: string;
  style: AcquireStyle;
  /** Index of the argument that names the lock within the lock object (async-lock keys, file paths). */
  keyArgument?: number;
  /** Index of the critical-section function for `callback`; "last" for the last argument. */
  callbackArgument?: number | "last";
  /** Resolves to `[value, release]` (async-mutex Semaphore). */
  releaseInTuple?: boolean;
  /** The call blocks the thread instead of returning a promise (`lockSync`). */
  sync?: boolean;
}

export interface LockType {
  /** Normalised module that exports the lock (`async-mutex`). */
  module: string;
  /** Exported class, interface or function name (`Mutex`, `MutexInterface`, `lock`). */
  name: string;
  /** Ways to take the lock; empty for configured extras, whose methods are read by shape. */
  acquire?: readonly LockMethod[];
  /** Methods of the lock (`release-method`) or of the handle (`handle`) that give it back. */
  release?: readonly string[];
  /** Taking it again while held does not deadlock (it fails fast, or it is a counting lock). */
  reentrant?: boolean;
  guards?: GuardedResource;
}

const MUTEX_METHODS: readonly LockMethod[] = [
  { name: "acquire", style: "release-function" },
  { name: "runExclusive", style: "callback", callbackArgument: 0 },
];

const SEMAPHORE_METHODS: readonly LockMethod[] = [
  { name: "acquire", style: "release-function", releaseInTuple: true },
  { name: "runExclusive", style: "callback", callbackArgument: 0 },
];

const PROPER_LOCKFILE: readonly LockMethod[] = [
  { name: "lock", style: "release-function", keyArgument: 0 },
  { name: "lockSync", style: "release-function", keyArgument: 0, sync: true },
];

export const LOCK_TYPES: readonly LockType[] = [
  { module: "async-mutex", name: "Mutex", acquire: MUTEX_METHODS, release: ["release"] },
  { module: "async-mutex", name: "MutexInterface", acquire: MUTEX_METHODS, release: ["release"] },
  // A semaphore may count more than one holder; whether one that counts one is re-entered is read from its construction.
  { module: "async-mutex", name: "Semaphore", acquire: SEMAPHORE_METHODS, release: ["release"] },
  { module: "async-mutex", name: "SemaphoreInterface", acquire: SEMAPHORE_METHODS, release: ["release"] },
  { module: "async-lock", name: "AsyncLock", acquire: [{ name: "acquire", style: "callback", keyArgument: 0, callbackArgument: 1 }] },
  { module: "await-lock", name: "AwaitLock", acquire: [{ name: "acquireAsync", style: "release-method" }], release: ["release"] },
  { module: "lib", name: "LockManager", acquire: [{ name: "request", style: "callback", keyArgument: 0, callbackArgument: "last" }] },
  { module: "proper-lockfile", name: "lock", acquire: PROPER_LOCKFILE, reentrant: true, guards: "file" },
  { module: "proper-lockfile", name: "lockSync", acquire: PROPER_LOCKFILE, reentrant: true, guards: "file" },
  { module: "lockfile", name: "lockSync", acquire: [{ name: "lockSync", style: "release-method", keyArgument: 0, sync: true }], release: ["unlockSync", "unlock"], reentrant: true, guards: "file" },
  {
    module: "redlock",
    name: "Redlock",
    acquire: [
      { name: "acquire", style: "handle", keyArgument: 0 },
      { name: "lock", style: "handle", keyArgument: 0 },
      { name: "using", style: "callback", keyArgument: 0, callbackArgument: "last" },
    ],
    release: ["release", "unlock"],
    reentrant: true,
    guards: "remote",
  },
];
