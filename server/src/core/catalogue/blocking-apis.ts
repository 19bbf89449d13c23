// The catalogue of blocking APIs: data, not code branches. A call is blocking
// when its resolved callee matches an entry (module, optional owner, name).

export interface AsyncAlternative {
  /** Module that exports the async twin (`fs/promises`, `child_process`). */
  module: string;
  /** Export name of the twin (`readFile`, `exec`). */
  name: string;
  /** `promises`: call it with await; `promisify`: wrap it with util.promisify first. */
  style: "promises" | "promisify";
}

export interface BlockingApi {
  /** Normalised module (`fs`, `child_process`, `better-sqlite3`); `lib` for TypeScript's standard library globals. */
  module: string;
  /** Declaring class or interface, for methods (`Atomics`, `Statement`). */
  owner?: string;
  /** Exact name, or a pattern with `*` (`*Sync`). */
  name: string;
  /** Why it blocks, completing "… blocks the event loop while it …". */
  reason: string;
  asyncAlternative?: AsyncAlternative;
}

export const BLOCKING_APIS: readonly BlockingApi[] = [];
