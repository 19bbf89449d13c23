// The APIs that take a callback, by the name they are called with, and when
// that callback runs: one table for the blocking rule (does it run inside the
// async function, or later on the loop?) and the queue rules (does it run again
// and again?). Data, not code branches.

/**
 * - `iteration`: array iteration; runs during the call, once per element.
 * - `during-call`: runs before the call returns (`sort`, `Array.from`, `replace`),
 *   not counted as a repetition by the queue rules.
 * - `scheduled`: timers and promise reactions; runs later, from the event loop.
 * - `listener`: an event listener; runs later, once per event.
 * - `once-listener`: a listener removed after its first event.
 */
export type CallbackKind = "iteration" | "during-call" | "scheduled" | "listener" | "once-listener";

const BY_KIND: Record<CallbackKind, readonly string[]> = {
  iteration: ["forEach", "map", "flatMap", "filter", "reduce", "reduceRight", "some", "every", "find", "findIndex"],
  "during-call": ["findLast", "findLastIndex", "sort", "toSorted", "from", "replace", "replaceAll"],
  scheduled: ["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "nextTick", "then", "catch", "finally"],
  listener: ["on", "addListener", "prependListener", "addEventListener"],
  "once-listener": ["once", "prependOnceListener"],
};

const CALLBACK_KINDS: ReadonlyMap<string, CallbackKind> = new Map(Object.entries(BY_KIND).flatMap(([kind, names]) => names.map((n) => [n, kind as CallbackKind] as const)));

/** How the callback of a call named `name` runs; undefined for a name not in the table. */
export function callbackKind(name: string): CallbackKind | undefined {
  return CALLBACK_KINDS.get(name);
}

/** Runs its callback before it returns: `xs.map(fn)`, `xs.sort(compare)`. */
export function runsCallbackDuringCall(name: string): boolean {
  const kind = CALLBACK_KINDS.get(name);
  return kind === "iteration" || kind === "during-call";
}

/** The methods that register a listener that fires on every event. */
export const REPEATING_LISTENER_METHODS: readonly string[] = BY_KIND.listener;

/** Events that fire at most once per emitter: their listeners do not repeat. */
export const ONE_SHOT_EVENTS: ReadonlySet<string> = new Set(["end", "close", "finish", "error", "exit", "open", "connect", "listening", "ready", "drain", "upgrade", "secureConnect", "timeout", "spawn", "disconnect", "load", "unload"]);

/**
 * `process` events whose handlers must finish synchronously (`exit` cannot run
 * async work) or that run only on the way down, where synchronous clean-up is
 * the norm.
 */
export const PROCESS_SHUTDOWN_EVENTS: ReadonlySet<string> = new Set(["exit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "SIGQUIT", "uncaughtException"]);

/**
 * The calls that make a long-lived event source, by module: a child process,
 * a server, a socket. Their listeners run on the loop for as long as the
 * process serves, so blocking in one stalls everything else the process does.
 */
export const LONG_LIVED_SOURCE_FACTORIES: Readonly<Record<string, readonly string[]>> = {
  child_process: ["fork", "spawn", "exec", "execFile"],
  cluster: ["fork"],
  net: ["createServer", "createConnection", "connect", "Server", "Socket"],
  tls: ["createServer", "connect", "Server", "TLSSocket"],
  http: ["createServer", "Server"],
  https: ["createServer", "Server"],
  http2: ["createServer", "createSecureServer", "connect"],
  dgram: ["createSocket"],
  worker_threads: ["Worker"],
};

/** Server factories whose function argument is the listener of every request or connection (`http.createServer(handler)`). */
export const SERVER_FACTORIES: Readonly<Record<string, readonly string[]>> = {
  net: ["createServer"],
  tls: ["createServer"],
  http: ["createServer"],
  https: ["createServer"],
  http2: ["createServer", "createSecureServer"],
};

/**
 * How a server is named where no type says what a value is: made by a
 * constructor named `…Server` (`new rpc.Server(sock)`, `new WebSocketServer()`)
 * or by a factory named `create…Server`. Functions given to its methods are
 * its handlers, run once per request for as long as the process serves.
 */
export const SERVER_CONSTRUCTOR_NAME = /^(?:[A-Z]\w*)?Server$/;
export const SERVER_FACTORY_NAME = /^create\w*Server$/;

/** A server's lifecycle methods: their callbacks run once, when it starts or stops, not per request. */
export const SERVER_LIFECYCLE_METHODS: ReadonlySet<string> = new Set(["listen", "close"]);
