// HTTP server requests as root tasks, through diagnostics_channel: one publish
// per request, no patching. Promises the handler creates before its first
// await find the request as `current`; later ones inherit through their parents.
// Only sampled responses are touched, and only through listeners: a property
// added to a response would give it a hidden class of its own, and Node's
// HTTP code would then see two shapes of response where it saw one.
//
// Every request's synchronous handler, sampled or not, is timed: one that
// runs past the block threshold is recorded with its request line and route,
// so a block under load is counted and named even when the watchdog is too
// late to read its stack.
import * as diagnostics from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Recorder } from "./recorder";

/**
 * What each request's end-of-handler check is chained on: a reaction on a
 * settled promise is the cheapest microtask (queueMicrotask builds an
 * AsyncResource per call). Made before the promise hooks are on, it is never
 * sampled, so its reaction is nobody's task.
 */
const settled = Promise.resolve();

/** express (and routers like it) leave the matched route on the request. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

export function recordHttpRequests(rec: Recorder): () => void {
  // The request whose handler is running. Handlers run one at a time, each
  // synchronously after its publish, so one set of fields serves, and the
  // microtask that closes it needs no closure of its own.
  let request: RoutedRequest | undefined;
  let startedAt = 0;
  let task = 0;
  let outer = 0;
  let outerScope = 0;

  const handlerReturned = () => {
    if (request === undefined) return;
    if (rec.now() - startedAt > rec.blockMs) {
      const route = request.route?.path;
      rec.longRun(startedAt, task, `${request.method} ${request.url}`, typeof route === "string" ? route : undefined);
    }
    // (Entering this reaction has already cleared the running task: it is nobody's.)
    if (task !== 0 && rec.current === task) rec.setCurrent(outer, outerScope);
    request = undefined;
  };

  const onStart = (message: unknown) => {
    // Pipelined requests can arrive in one callback: the previous handler has returned.
    handlerReturned();
    const started = message as { request: IncomingMessage; response: ServerResponse };
    request = started.request;
    startedAt = rec.now();
    task = 0;
    // The handler runs synchronously after this publish; the microtask runs
    // once it has returned, before any of its continuations.
    void settled.then(handlerReturned);
    if (!rec.sampleRequest()) return;
    const id = (task = rec.newTaskId());
    const response = started.response;
    rec.write.task("http", id, 0, startedAt, rec.once(`${request.method} ${request.url}`), 0);
    response.once("finish", () => rec.write.settle(id, "finished", false, rec.now()));
    // A response closes after it finishes, or first when the client goes
    // away; then it never finishes, and only this ends the request's task.
    response.once("close", () => {
      if (!response.writableFinished) rec.write.settle(id, "finished", true, rec.now());
    });
    outer = rec.current;
    outerScope = rec.scope;
    rec.setCurrent(id, id);
  };
  diagnostics.subscribe("http.server.request.start", onStart);
  return () => {
    diagnostics.unsubscribe("http.server.request.start", onStart);
  };
}
