// Converts a trace to the Chrome Trace Event format (the JSON that Perfetto
// and chrome://tracing open): callbacks and blocks as complete ("X") events,
// task lifetimes as async spans, loop health and queue depths as counters,
// warnings as instant events. Perfetto pairs an async end with its begin by
// category, id and name, and nests complete events on a thread by time, so
// both ends carry the same three, and blocks (measured from heartbeat
// ticks, which need not line up with callbacks) get a track of their own.
import * as path from "node:path";
import type { ProcessTrace } from "./trace-reader";
import type { Site } from "./protocol";

export interface ChromeEvent {
  name: string;
  ph: "X" | "b" | "e" | "C" | "i" | "M";
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  dur?: number;
  id?: string;
  s?: "g" | "p" | "t";
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: "ms";
}

const where = (site: Site | undefined) => (site ? `${site.file}:${site.line}` : undefined);
/** Blocks go on a track of their own beside their thread's: thread id plus this. */
const BLOCK_TRACK = 1_000_000;

export function toChromeTrace(processes: ProcessTrace[]): ChromeTrace {
  const origins = processes.map((p) => p.info?.timeOrigin ?? 0).filter((o) => o > 0);
  const base = origins.length > 0 ? Math.min(...origins) : 0;
  const out: ChromeEvent[] = [];
  for (const p of processes) {
    const origin = p.info?.timeOrigin ?? base;
    const us = (t: number) => Math.round((origin - base + t) * 1000);
    const pid = p.pid;
    const tid = p.threadId;
    const script = p.info?.argv[1] ? path.basename(p.info.argv[1]) : "node";
    out.push({ name: "process_name", ph: "M", ts: 0, pid, tid, args: { name: `${script} (${pid})` } });
    const thread = tid === 0 ? "main" : `worker ${tid}`;
    out.push({ name: "thread_name", ph: "M", ts: 0, pid, tid, args: { name: thread } });
    out.push({ name: "thread_name", ph: "M", ts: 0, pid, tid: tid + BLOCK_TRACK, args: { name: `${thread}: blocks` } });
    /** Tasks begun and not yet ended: what their end must repeat. */
    const open = new Map<number, { name: string; cat: string }>();
    const named = new Map<number, string>();
    /** A complete event's whole microseconds, from its rounded ends so that neighbours never overlap by rounding. */
    const complete = (t: number, dur: number) => {
      const ts = us(t);
      return { ts, dur: us(t + dur) - ts };
    };
    let lastT = 0;
    for (const e of p.events) {
      lastT = Math.max(lastT, e.t);
      switch (e.type) {
        case "task": {
          if (open.has(e.id)) break;
          const name = e.name ?? `${e.kind}${e.site ? ` ${path.basename(e.site.file)}:${e.site.line}` : ""}`;
          const cat = `task,${e.kind}`;
          open.set(e.id, { name, cat });
          named.set(e.id, name);
          out.push({ name, ph: "b", ts: us(e.t), pid, tid, cat, id: `${pid}.${tid}.${e.id}`, args: { task: e.id, parent: e.parent, site: where(e.site) } });
          break;
        }
        case "settle": {
          const task = open.get(e.id);
          if (!task) break;
          open.delete(e.id);
          out.push({ name: task.name, ph: "e", ts: us(e.t), pid, tid, cat: task.cat, id: `${pid}.${tid}.${e.id}`, args: { state: e.state } });
          break;
        }
        case "run": {
          // A callback under a microsecond shows as nothing; it is left out rather than widened into its neighbour.
          const { ts, dur } = complete(e.t, e.dur);
          if (dur > 0) out.push({ name: named.get(e.id) ?? `task ${e.id}`, ph: "X", ts, dur, pid, tid, cat: "run", args: { task: e.id } });
          break;
        }
        case "block": {
          const { ts, dur } = complete(e.t, e.dur);
          const args = { site: where(e.site), placedBy: e.placedBy, request: e.request, task: e.task, stack: e.stack.map((f) => `${f.fn || "<anonymous>"} ${f.file}:${f.line}`) };
          out.push({ name: `block ${where(e.site) ?? e.request ?? ""}`.trim(), ph: "X", ts, dur, pid, tid: tid + BLOCK_TRACK, cat: "block", args });
          break;
        }
        case "loop":
          out.push({ name: "event loop delay (ms)", ph: "C", ts: us(e.t), pid, tid, args: { p50: e.delay.p50, p99: e.delay.p99, max: e.delay.max } });
          out.push({ name: "event loop utilization", ph: "C", ts: us(e.t), pid, tid, args: { utilization: e.utilization } });
          break;
        case "queue":
          out.push({ name: `queue ${e.name}`, ph: "C", ts: us(e.t), pid, tid, args: { depth: e.depth } });
          break;
        case "lock":
          out.push({ name: `${e.op} ${e.name}`, ph: "i", s: "t", ts: us(e.t), pid, tid, cat: "lock", args: { holder: e.holder, task: e.task } });
          break;
        case "warning":
          out.push({ name: `warning: ${e.check}`, ph: "i", s: "p", ts: us(e.t), pid, tid, cat: "warning", args: { message: e.message, site: where(e.site) } });
          break;
        default:
          break;
      }
    }
    // A task still pending when the trace ends is closed there, so every begin has its end.
    for (const [id, task] of open) out.push({ name: task.name, ph: "e", ts: us(lastT), pid, tid, cat: task.cat, id: `${pid}.${tid}.${id}`, args: { state: "pending at the end of the trace" } });
  }
  return { traceEvents: out, displayTimeUnit: "ms" };
}
