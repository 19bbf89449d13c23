// The shape of a critical section, apart from how sections are found
// (sections.ts), so that the lock-helper recognition sections.ts relies on
// (helpers.ts) can read sections without importing it back.
import type ts from "typescript";
import type { Acquisition } from "./detect";

export interface ReleaseSite {
  /** The release call, or the reference passed to `.finally(release)`/`.then(release)`. */
  node: ts.Node;
  /** Inside a `finally` block (or passed to `.finally()`): reached on every path. */
  inFinally: boolean;
  /** Inside a `.then()` success callback only: skipped when the work rejects. */
  inThen: boolean;
  /** Inside a `.catch()` callback or a `.then()` rejection handler. */
  onRejection: boolean;
  /** Inside another function than the one that acquires. */
  nested: boolean;
}

export interface CriticalSection {
  acquisition: Acquisition;
  /** The code that runs while held: the callback, or the function that acquires. */
  root: ts.Node;
  /** Source offsets [start, end) within `root` where the lock is held. */
  start: number;
  end: number;
  /** The statement that acquires, for explicit acquisitions (`const release = await m.acquire();`). */
  acquireStatement: ts.Statement | undefined;
  /** Name bound to the release function or the handle. */
  binding: string | undefined;
  /** Name bound to what the acquire resolved to, whatever it is (a release function, a handle, a success flag). */
  resultName: string | undefined;
  releases: ReleaseSite[];
  /** The release function or handle leaves the function (returned, stored, passed on): it is released elsewhere. */
  escapes: boolean;
  /** Bound with `using`/`await using`: disposed, and so released, when its block ends. */
  disposed: boolean;
}
