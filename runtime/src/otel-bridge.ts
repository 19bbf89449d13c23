// Exports a recorded trace as OpenTelemetry spans, for programs already
// traced across services: each root task becomes a span, each child task a
// child span, with the times the runtime recorded; blocks become span events
// on the task that was running, or spans of their own.
import { SpanStatusCode, context, trace as otelTrace, type Span, type Tracer } from "@opentelemetry/api";
import type { TaskEvent } from "./protocol";
import type { ProcessTrace } from "./trace-reader";

interface Pending {
  span: Span;
  runs: number;
  busy: number;
}

function taskName(e: TaskEvent): string {
  if (e.name) return e.name;
  return e.site ? `${e.kind} ${e.site.file.split(/[\\/]/).pop()}:${e.site.line}` : e.kind;
}

/** Starts and ends one span per recorded task; returns how many spans it made. */
export function exportTrace(processes: ProcessTrace[], tracer: Tracer): number {
  let spans = 0;
  for (const p of processes) {
    const origin = p.info?.timeOrigin ?? 0;
    const at = (t: number) => origin + t;
    const open = new Map<number, Pending>();
    let last = 0;
    for (const e of p.events) {
      last = Math.max(last, e.t);
      switch (e.type) {
        case "task": {
          const parent = open.get(e.parent);
          const ctx = parent ? otelTrace.setSpan(context.active(), parent.span) : context.active();
          const span = tracer.startSpan(
            taskName(e),
            {
              startTime: at(e.t),
              root: parent === undefined,
              attributes: {
                "async_lens.task.id": e.id,
                "async_lens.task.kind": e.kind,
                "process.pid": p.pid,
                "thread.id": p.threadId,
                ...(e.site ? { "code.filepath": e.site.file, "code.lineno": e.site.line, "code.column": e.site.column } : {}),
              },
            },
            ctx,
          );
          open.set(e.id, { span, runs: 0, busy: 0 });
          spans++;
          break;
        }
        case "run": {
          const task = open.get(e.id);
          if (task) {
            task.runs++;
            task.busy += e.dur;
          }
          break;
        }
        case "settle": {
          const task = open.get(e.id);
          if (!task) break;
          task.span.setAttributes({ "async_lens.task.state": e.state, "async_lens.task.runs": task.runs, "async_lens.task.busy_ms": task.busy });
          if (e.state === "rejected") task.span.setStatus({ code: SpanStatusCode.ERROR, message: "rejected" });
          task.span.end(at(e.t));
          // Kept open in the map: children created after a parent settles still nest under it.
          break;
        }
        case "block": {
          const attributes = { "async_lens.block.duration_ms": e.dur, ...(e.site ? { "code.filepath": e.site.file, "code.lineno": e.site.line } : {}) };
          const task = open.get(e.task);
          if (task) task.span.addEvent("event loop blocked", attributes, at(e.t));
          else {
            tracer.startSpan("event loop blocked", { startTime: at(e.t), root: true, attributes }).end(at(e.t + e.dur));
            spans++;
          }
          break;
        }
        default:
          break;
      }
    }
    // Tasks that never settled end where the trace ends, marked as such.
    for (const task of open.values()) {
      if (task.span.isRecording()) {
        task.span.setAttribute("async_lens.task.state", "pending");
        task.span.end(at(last));
      }
    }
  }
  return spans;
}
