// Timers, sockets, fs requests and other non-promise async resources, through
// async_hooks (opt-in: ASYNC_LENS_RESOURCES=1). No destroy hook: that is the
// expensive part; a resource counts as a task from init, with runs from
// before/after. Async_hooks with an init hook also tracks promises
// internally, which is why this costs enough to be off by default.
import { createHook, type HookCallbacks } from "node:async_hooks";
import type { TaskKind } from "./protocol";
import type { Recorder } from "./recorder";

const MAX_TRACKED = 100_000;

function kindOf(type: string): TaskKind {
  if (type === "Timeout" || type === "Immediate") return "timer";
  if (type.startsWith("FS") || type === "STATWATCHER") return "fs";
  if (type.includes("TCP") || type.includes("PIPE") || type === "HTTPINCOMINGMESSAGE" || type === "HTTPCLIENTREQUEST" || type.includes("UDP")) return "socket";
  return "other";
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
      rec.write.task(kindOf(type), id, parent, rec.now(), rec.intern(type), rec.site(callbacks.init!));
    },
    before(asyncId) {
      const id = tasks.get(asyncId);
      if (id === undefined) return;
      rec.startRun(id, rec.scope);
    },
    after(asyncId) {
      const id = tasks.get(asyncId);
      if (id === undefined) return;
      rec.endRun(id);
    },
  };
  const hook = createHook(callbacks);
  hook.enable();
  return () => hook.disable();
}
