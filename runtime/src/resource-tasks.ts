// Timers, sockets, fs requests and other non-promise async resources, through
// async_hooks (opt-in: ASYNC_LENS_RESOURCES=1). No destroy hook: that is the
// expensive part; a resource counts as a task from init, with runs from
// before/after. Async_hooks with an init hook also tracks promises
// internally, which is why this costs enough to be off by default.
import { createHook, type HookCallbacks } from "node:async_hooks";
import { Rec, TASK_KINDS } from "./ring";
import type { Recorder } from "./recorder";

const MAX_TRACKED = 100_000;

function kindOf(type: string): number {
  if (type === "Timeout" || type === "Immediate") return TASK_KINDS.indexOf("timer");
  if (type.startsWith("FS") || type === "STATWATCHER") return TASK_KINDS.indexOf("fs");
  if (type.includes("TCP") || type.includes("PIPE") || type === "HTTPINCOMINGMESSAGE" || type === "HTTPCLIENTREQUEST" || type.includes("UDP")) return TASK_KINDS.indexOf("socket");
  return TASK_KINDS.indexOf("other");
}

export function recordResources(rec: Recorder): () => void {
  const tasks = new Map<number, number>();
  const callbacks: HookCallbacks = {
    init(asyncId, type, triggerAsyncId) {
      if (type === "PROMISE") return;
      let parent = rec.current;
      if (parent === 0) {
        const trigger = tasks.get(triggerAsyncId);
        if (trigger !== undefined) parent = trigger;
        else if (!rec.sampleRoot()) return;
      }
      const id = rec.newTaskId();
      tasks.set(asyncId, id);
      if (tasks.size > MAX_TRACKED) tasks.delete(tasks.keys().next().value!);
      rec.task(kindOf(type), id, parent, rec.intern(type), rec.site(callbacks.init!));
    },
    before(asyncId) {
      const id = tasks.get(asyncId);
      if (id === undefined) return;
      rec.setCurrent(id, rec.scope);
      rec.record(Rec.RunStart, id, 0, rec.now(), 0, 0);
    },
    after(asyncId) {
      const id = tasks.get(asyncId);
      if (id === undefined) return;
      rec.record(Rec.RunEnd, id, 0, rec.now(), 0, 0);
      rec.setCurrent(0, 0);
    },
  };
  const hook = createHook(callbacks);
  hook.enable();
  return () => hook.disable();
}
