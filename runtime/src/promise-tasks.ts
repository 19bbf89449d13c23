// Promise tasks through v8.promiseHooks: far cheaper than async_hooks' promise
// tracking, which pays for a destroy hook on every promise. Unsampled
// promises cost a property read and a few branches per hook; a sampled one
// carries its task id in a symbol property so its children and callbacks can
// find it without any table.
//
// Sampling: a promise chained from another (then, await) follows its parent.
// A promise with no parent is a root, sampled 1 in N, unless it is created
// inside a sampled request's scope, whose tree is kept whole. Roots are not
// inherited from the running callback otherwise: a long-lived loop would
// pull every promise it ever creates into the sample.
import { promiseHooks } from "node:v8";
import type { Recorder } from "./recorder";

export const TASK_ID = Symbol("async-lens.task");
/** The sampled request a promise belongs to, when it belongs to one. */
export const SCOPE = Symbol("async-lens.scope");
type Tagged = Promise<unknown> & { [TASK_ID]?: number; [SCOPE]?: number };


/** Starts recording promises; returns the function that stops it. */
export function recordPromises(rec: Recorder): () => void {
  let probing = false;
  // Sampled promises that something awaits or calls then() on. A set rather
  // than another property: each property added to a promise gives it a new
  // hidden class, and the program's own await sites slow down as they see more.
  const handled = new WeakSet<Tagged>();
  const hooks = {
    init(promise: Tagged, parent: Tagged | undefined) {
      if (probing) return;
      let parentId: number;
      let scope = 0;
      if (parent !== undefined) {
        const id = parent[TASK_ID];
        if (id === undefined) return;
        handled.add(parent);
        parentId = id;
        scope = parent[SCOPE] ?? 0;
      } else if (rec.scope !== 0) {
        parentId = rec.current;
        scope = rec.scope;
      } else {
        if (!rec.sampleRoot()) return;
        parentId = rec.current;
      }
      const id = rec.newTaskId();
      promise[TASK_ID] = id;
      if (scope !== 0) promise[SCOPE] = scope;
      rec.write.task("promise", id, parentId, rec.now(), 0, rec.site(hooks.init));
    },
    before(promise: Tagged) {
      const id = promise[TASK_ID];
      if (id === undefined) {
        if (rec.current !== 0) rec.setCurrent(0, 0);
        return;
      }
      rec.startRun(id, promise[SCOPE] ?? 0);
    },
    after(promise: Tagged) {
      const id = promise[TASK_ID];
      if (id === undefined) return;
      rec.endRun(id);
    },
    settled(promise: Tagged) {
      const id = promise[TASK_ID];
      if (id === undefined) return;
      const t = rec.now();
      // promiseHooks does not say how a promise settled, and reading the
      // state through util.inspect would touch a rejection's stack (which
      // changes how Node prints it if it goes unhandled). A promise that
      // already has a handler can take one more without changing anything
      // observable, so it is asked; the others are recorded as settled only.
      if (!handled.has(promise)) {
        rec.write.settle(id, "settled", false, t);
        return;
      }
      probing = true;
      try {
        promise.then(
          () => rec.write.settle(id, "fulfilled", false, t),
          () => rec.write.settle(id, "rejected", false, t),
        );
      } catch {
        // A Promise subclass's then() is the program's code and may throw; an
        // exception escaping a promise hook would take the process down.
        rec.write.settle(id, "settled", false, t);
      } finally {
        probing = false;
      }
    },
  };
  const stop = promiseHooks.createHook(hooks);
  return stop as () => void;
}
