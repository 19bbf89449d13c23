import type { AsyncLensConfig } from "../config";
import { BLOCKING_APIS, type BlockingApi } from "./blocking-apis";
import { LOCK_TYPES, type LockType } from "./locks";
import { QUEUE_TYPES, type QueueType } from "./queues";

export interface Catalogue {
  readonly blockingApis: readonly BlockingApi[];
  readonly locks: readonly LockType[];
  readonly queues: readonly QueueType[];
}

/**
 * The catalogue built last: the language server analyses after every edit with
 * the same configuration, and facts derived from the catalogue are kept while
 * it is the same object.
 */
let last: { key: string; catalogue: Catalogue } | undefined;

/** The built-in catalogue extended by the user's configuration. */
export function buildCatalogue(config: AsyncLensConfig): Catalogue {
  const key = JSON.stringify([config.blockingApis, config.locks, config.queues]);
  if (last?.key !== key) last = { key, catalogue: extendedCatalogue(config) };
  return last.catalogue;
}

function extendedCatalogue(config: AsyncLensConfig): Catalogue {
  return {
    blockingApis: [
      ...BLOCKING_APIS,
      ...config.blockingApis.map((api) => ({
        module: api.module,
        name: api.export,
        reason: "runs (the Async Lens configuration declares it blocking)",
        asyncAlternative: api.asyncAlternative ? { module: api.module, name: api.asyncAlternative, style: "promises" as const } : undefined,
      })),
    ],
    locks: [...LOCK_TYPES, ...config.locks.map((l) => ({ module: l.module, name: l.export }))],
    queues: [...QUEUE_TYPES, ...config.queues.map((q) => ({ module: q.module, name: q.export }))],
  };
}

export type { BlockingApi, LockType, QueueType };
