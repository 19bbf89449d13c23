// HTTP server requests as root tasks, through diagnostics_channel: one publish
// per request, no patching. Promises the handler creates before its first
// await find the request as `current`; later ones inherit through their parents.
// Only sampled responses are touched, and only through listeners: a property
// added to a response would give it a hidden class of its own, and Node's
// HTTP code would then see two shapes of response where it saw one.
import * as diagnostics from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Rec } from "./ring";
import type { Recorder } from "./recorder";

const KIND_HTTP = 1;
const STATE_FINISHED = 2;
/** Slot 2 of a settle record: the request ended without its response being sent. */
const ABORTED = 1;

export function recordHttpRequests(rec: Recorder): () => void {
  const onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (!rec.sampleRequest()) return;
    const id = rec.newTaskId();
    rec.task(KIND_HTTP, id, 0, rec.once(`${request.method} ${request.url}`), 0);
    response.once("finish", () => rec.record(Rec.Settle | (STATE_FINISHED << 4), id, 0, rec.now(), 0, 0));
    // A response closes after it finishes, or first when the client goes
    // away; then it never finishes, and only this ends the request's task.
    response.once("close", () => {
      if (!response.writableFinished) rec.record(Rec.Settle | (STATE_FINISHED << 4), id, ABORTED, rec.now(), 0, 0);
    });
    const outer = rec.current;
    const outerScope = rec.scope;
    rec.setCurrent(id, id);
    // The request handler runs synchronously after this publish; the microtask
    // runs once it has returned, before any of its continuations.
    queueMicrotask(() => {
      if (rec.current === id) rec.setCurrent(outer, outerScope);
    });
  };
  diagnostics.subscribe("http.server.request.start", onStart);
  return () => {
    diagnostics.unsubscribe("http.server.request.start", onStart);
  };
}
