// Converts a trace to the Chrome Trace Event format (the JSON that Perfetto
// and chrome://tracing open): callbacks and blocks as complete ("X") events,
// task lifetimes as async spans, loop health and queue depths as counters,
// warnings as instant events.
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
    out.push({ name: "thread_name", ph: "M", ts: 0, pid, tid, args: { name: tid === 0 ? "main" : `worker ${tid}` } });
    const names = new Map<number, string>();
    for (const e of p.events) {
      switch (e.type) {
        case "task": {
          const name = e.name ?? `${e.kind}${e.site ? ` ${path.basename(e.site.file)}:${e.site.line}` : ""}`;
          names.set(e.id, name);
          out.push({ name, ph: "b", ts: us(e.t), pid, tid, cat: `task,${e.kind}`, id: `${pid}.${tid}.${e.id}`, args: { task: e.id, parent: e.parent, site: where(e.site) } });
          break;
        }
        case "settle":
          if (names.has(e.id)) out.push({ name: names.get(e.id)!, ph: "e", ts: us(e.t), pid, tid, cat: "task", id: `${pid}.${tid}.${e.id}`, args: { state: e.state } });
          break;
        case "run":
          out.push({ name: names.get(e.id) ?? `task ${e.id}`, ph: "X", ts: us(e.t), dur: Math.max(1, Math.round(e.dur * 1000)), pid, tid, cat: "run", args: { task: e.id } });
          break;
        case "block":
          out.push({ name: `block ${where(e.site) ?? ""}`.trim(), ph: "X", ts: us(e.t), dur: Math.round(e.dur * 1000), pid, tid, cat: "block", args: { site: where(e.site), task: e.task, stack: e.stack.map((f) => `${f.fn || "<anonymous>"} ${f.file}:${f.line}`) } });
          break;
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
  }
  return { traceEvents: out, displayTimeUnit: "ms" };
}
