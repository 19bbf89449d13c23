// A trace file read back as one list of events per process, in time order.
import { decodeTraceFile, type BatchMessage, type DecodedTrace, type ProcessEvent, type TraceEvent } from "./protocol";
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

function fromDecoded(decoded: DecodedTrace): Trace {
  return { processes: groupByProcess(decoded.messages), truncated: decoded.truncated, rejected: decoded.rejected };
}

export function loadTrace(file: string): Trace {
  return fromDecoded(readTraceFile(file));
}

/** The trace in a file's bytes, for callers that read the file asynchronously. */
export function traceFromBytes(bytes: Uint8Array): Trace {
  return fromDecoded(decodeTraceFile(bytes));
}
