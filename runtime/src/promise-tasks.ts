// Promise tasks through v8.promiseHooks: far cheaper than async_hooks' promise
// tracking, which pays for a destroy hook on every promise. Unsampled
// promises cost a property read and a few branches per hook; a sampled one
// carries its task id in a symbol property so its children and callbacks can
// find it without any table.
import { promiseHooks } from "node:v8";
import { inspect } from "node:util";
import { Rec } from "./ring";
import type { Recorder } from "./recorder";

export const TASK_ID = Symbol("async-lens.task");

type Tagged = Promise<unknown> & { [TASK_ID]?: number };

const KIND_PROMISE = 0;
const STATE_FULFILLED = 0;
const STATE_REJECTED = 1;

/** Starts recording promises; returns the function that stops it. */
export function recordPromises(rec: Recorder): () => void {
  const stop = promiseHooks.createHook({
    init(promise: Tagged, parent: Tagged | undefined) {
      let parentId: number;
      if (parent !== undefined) {
        const id = parent[TASK_ID];
        if (id === undefined) return;
        parentId = id;
      } else if (rec.current !== 0) {
        parentId = rec.current;
      } else {
        if (!rec.sampleRoot()) return;
        parentId = 0;
      }
      const id = rec.newTaskId();
      promise[TASK_ID] = id;
      rec.task(KIND_PROMISE, id, parentId, 0, rec.site());
    },
    before(promise: Tagged) {
      const id = promise[TASK_ID];
      if (id === undefined) {
        if (rec.current !== 0) rec.setCurrent(0);
        return;
      }
      rec.setCurrent(id);
      rec.record(Rec.RunStart, id, 0, rec.now(), 0, 0);
    },
    after(promise: Tagged) {
      const id = promise[TASK_ID];
      if (id === undefined) return;
      rec.record(Rec.RunEnd, id, 0, rec.now(), 0, 0);
      rec.setCurrent(0);
    },
    settled(promise: Tagged) {
      const id = promise[TASK_ID];
      if (id === undefined) return;
      // promiseHooks does not say how a promise settled; inspecting is the only
      // synchronous way to read the state, and it runs for sampled tasks only.
      const state = inspect(promise, { depth: 0, customInspect: false }).startsWith("Promise { <rejected>") ? STATE_REJECTED : STATE_FULFILLED;
      rec.record(Rec.Settle | (state << 4), id, 0, rec.now(), 0, 0);
    },
  });
  return stop as () => void;
}
