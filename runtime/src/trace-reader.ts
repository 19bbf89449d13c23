// A trace file read back as one list of events per process, in time order.
import type { BatchMessage, ProcessEvent, TraceEvent } from "./protocol";
import { readTraceFile } from "./transport/trace-file";

export interface ProcessTrace {
  key: string;
  pid: number;
  threadId: number;
  info?: ProcessEvent;
  events: TraceEvent[];
}

export interface Trace {
  processes: ProcessTrace[];
  truncated: boolean;
  rejected: number;
}

export function groupByProcess(messages: BatchMessage[]): ProcessTrace[] {
  const byKey = new Map<string, ProcessTrace>();
  for (const m of messages) {
    const key = `${m.process.pid}:${m.process.threadId}`;
    let p = byKey.get(key);
    if (!p) byKey.set(key, (p = { key, pid: m.process.pid, threadId: m.process.threadId, events: [] }));
    for (const e of m.events) {
      if (e.type === "process") p.info = e;
      p.events.push(e);
    }
  }
  return [...byKey.values()];
}

export function loadTrace(file: string): Trace {
  const decoded = readTraceFile(file);
  return { processes: groupByProcess(decoded.messages), truncated: decoded.truncated, rejected: decoded.rejected };
}
