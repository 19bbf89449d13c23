// Which packages get an adapter, for both module systems. CommonJS exports are
// patched as they load; ES modules are wrapped by the loader hooks in
// esm-loader.ts, whose wrapper calls ADAPT_KEY with the module namespace.
import { adaptAsyncLock } from "./async-lock";
import { adaptAsyncMutex } from "./async-mutex";
import { adaptPLimit, adaptPQueue } from "./p-queue";

export const ADAPT_KEY = Symbol.for("async-lens.adapt");

/** Package name → its adapter; the return value replaces the default export when set. */
const adapters: Record<string, (exports: Record<string, unknown>) => unknown> = {
  "async-mutex": (m) => adaptAsyncMutex(m as Parameters<typeof adaptAsyncMutex>[0]),
  "async-lock": (m) => adaptAsyncLock((m.default ?? m) as Parameters<typeof adaptAsyncLock>[0]),
  "p-queue": (m) => adaptPQueue(m.default as Parameters<typeof adaptPQueue>[0]),
  "p-limit": (m) => adaptPLimit(m.default as Parameters<typeof adaptPLimit>[0]),
};

export const ADAPTED_PACKAGES = Object.keys(adapters);

export function adapt(name: string, exports: unknown): unknown {
  const adapter = adapters[name];
  if (!adapter || exports === null || (typeof exports !== "object" && typeof exports !== "function")) return undefined;
  try {
    return adapter(exports as Record<string, unknown>);
  } catch {
    // An unexpected library version stays unadapted rather than broken.
    return undefined;
  }
}
