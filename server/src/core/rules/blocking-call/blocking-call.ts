// blocking-call: a synchronous call that waits on I/O, a child process or heavy
// CPU, made while an async function runs, stalls every other task on the
// event loop. Calls are found by symbol (catalogue entries, library `xSync`
// functions) and through synchronous project functions that block further down.
import ts from "typescript";
import { forEachAsyncRegionNode, type ListenerFacts } from "./async-context";
import { someDescendant } from "../../flow/repetition";
import { isBusyWaitLoop } from "./busy-wait";
import { EVENT_SOURCES } from "./event-sources";
import { PROJECT_FUNCTIONS } from "./project-functions";
import { SERVER_HANDLERS } from "./server-handlers";
import { BLOCKING_CALLS, leafOf, type BlockingSite } from "./blocking-calls";
import type { AsyncAlternative } from "../../catalogue/blocking-apis";
import { asyncTwinFix } from "./fix";
import { ignoreLineFix } from "../../fixes/ignore-line";
import { isPropertyRead } from "./name-index";
import { runsOnce } from "./run-once";
import { specifierFor } from "../../fixes/imports";
import type { Report, ReportMessage, Rule } from "../../rule";
import type { Fix } from "../../types";

const ID = "blocking-call";

// Listeners on long-lived event sources (`.on(`, `.once(`, a server's request handler) are async code too.
const ASYNC_CODE_TEXT = /async|Promise|\.then\(|\.catch\(|\.finally\(|\.on\(|\.once\(|Listener\(|Server\(/;

const STALL = "stalling every other task";
const BUSY_WAIT_ADVICE = "await a timer instead: `await setTimeout(ms)` from `node:timers/promises`";

function alternativeAdvice(alt: AsyncAlternative, sameModule: boolean): string {
  const from = `\`${alt.name}\` from \`${specifierFor(alt.module)}\``;
  switch (alt.style) {
    case "promises":
      return sameModule ? `use \`await ${alt.name}(…)\`` : `use \`await ${alt.name}(…)\` with ${from}`;
    case "promisify":
      return `use \`await promisify(${alt.name})(…)\` with ${from}`;
    case "promisify-stdout":
      return `use \`await promisify(${alt.name})(…)\` with ${from}, which resolves to \`{ stdout, stderr }\``;
    case "wait-async":
      return "use `await Atomics.waitAsync(…).value`";
    default:
      return `use ${from}`;
  }
}

function twinName(syncName: string): string {
  return syncName.slice(0, -"Sync".length);
}

/** What to do instead of the blocking leaf of a chain or a direct call. */
function adviceFor(site: Exclude<BlockingSite, { kind: "chain" }>): string {
  switch (site.kind) {
    case "api":
      if (site.api.asyncAlternative) return alternativeAdvice(site.api.asyncAlternative, site.api.asyncAlternative.module === site.ref.module);
      return site.api.advice ?? "move it out of async code (to start-up) or into a worker thread";
    case "wrapped":
      return site.api.advice ?? "move it out of async code or into a worker thread";
    case "conventional":
      return site.ref.declaration ? `use \`await ${twinName(site.name)}(…)\`` : "use the library's asynchronous form";
    case "busy-wait":
      return BUSY_WAIT_ADVICE;
  }
}

/** Completes "… blocks the event loop while it …" for a leaf. */
function whileItFor(site: Exclude<BlockingSite, { kind: "chain" }>): string {
  switch (site.kind) {
    case "api":
    case "wrapped":
      return site.api.reason;
    case "conventional":
      return site.ref.declaration ? `runs (it is the synchronous twin of \`${twinName(site.name)}\`)` : "runs (by Node's naming convention, an `xSync` function returns only when its work is done)";
    case "busy-wait":
      return "spins on the clock";
  }
}

function describeLeaf(site: Exclude<BlockingSite, { kind: "chain" }>): string {
  return site.kind === "busy-wait" ? "a busy-wait loop" : `\`${site.name}\``;
}

function messageFor(site: BlockingSite): ReportMessage {
  if (site.kind === "busy-wait") return { messageId: "busy-wait" };
  if (site.kind !== "chain") return { messageId: "direct", data: { name: site.name, reason: whileItFor(site), advice: adviceFor(site) } };
  const leaf = leafOf(site);
  const through: string[] = [];
  for (let s: BlockingSite = site.inner; s.kind === "chain"; s = s.inner) through.push(`\`${s.name}\``);
  const via = through.length > 0 ? ` through ${through.join(" and ")}` : "";
  return { messageId: "chain", data: { name: site.name, leaf: describeLeaf(leaf), through: via, reason: whileItFor(leaf), advice: adviceFor(leaf) } };
}

/** One related entry per hop: where each function calls the next, down to the blocking call. */
function chainHops(site: Extract<BlockingSite, { kind: "chain" }>): { node: ts.Node; message: string }[] {
  const hops: { node: ts.Node; message: string }[] = [];
  let caller = site.name;
  for (let s: BlockingSite = site.inner; ; s = s.inner) {
    if (s.kind === "chain") {
      hops.push({ node: s.node, message: `\`${caller}\` calls \`${s.name}\` here` });
      caller = s.name;
      continue;
    }
    const from = s.kind === "api" && s.ref.module !== undefined ? ` from \`${s.ref.module}\`` : "";
    const what = s.kind === "busy-wait" ? `\`${caller}\` spins on the clock here` : `\`${caller}\` calls \`${s.name}\`${from} here, which blocks while it ${whileItFor(s)}`;
    hops.push({ node: s.node, message: what });
    return hops;
  }
}

export const blockingCall: Rule = {
  meta: {
    id: ID,
    description: "Synchronous blocking calls (file system, child processes, heavy crypto, sync databases, busy-waits) made while an async function runs.",
    defaultSeverity: "warning",
    fixable: true,
    hazard: "blocking",
    messages: {
      "busy-wait": {
        text: `This loop spins on the clock until the time passes, blocking the event loop for the whole wait and ${STALL}; ${BUSY_WAIT_ADVICE}.`,
        why: `blocking the event loop for the whole wait and ${STALL}`,
        action: BUSY_WAIT_ADVICE,
      },
      // The reason and the advice come from the catalogue entry (or the naming convention) of the blocking API.
      direct: {
        text: `\`{name}\` blocks the event loop while it {reason}, ${STALL}; {advice}.`,
        why: STALL,
        action: "{advice}",
      },
      chain: {
        text: `\`{name}\` blocks the event loop: it reaches {leaf}{through}, which blocks while it {reason}, ${STALL}. Make it asynchronous ({advice}) or call it outside async code.`,
        why: STALL,
        action: "Make it asynchronous ({advice}) or call it outside async code",
      },
    },
  },
  check(file, context) {
    const handlers = context.facts.get(SERVER_HANDLERS);
    // Without `async`, a promise, a listener or a server's handler there is no async code to look in.
    if (!ASYNC_CODE_TEXT.test(file.text) && !handlers.definesHandlerIn(file)) return;
    const calls = context.facts.get(BLOCKING_CALLS);
    const sources = context.facts.get(EVENT_SOURCES);
    const functions = context.facts.get(PROJECT_FUNCTIONS);
    const listeners: ListenerFacts = {
      mayBlock: (fn) => someDescendant(fn, (n) => isBusyWaitLoop(n) || ((ts.isCallExpression(n) || ts.isNewExpression(n)) && calls.isCandidate(n)) || (isPropertyRead(n) && calls.isCandidateRead(n))),
      isLongLived: (receiver) => sources.isLongLived(receiver),
      isServerFactory: (call) => sources.isServerFactory(call),
      isServerHandler: (fn) => handlers.has(fn),
      callsBack: (call, argument) => functions.callsBack(call, argument),
    };
    forEachAsyncRegionNode(file, listeners, (node, region) => {
      let site: BlockingSite | undefined;
      if (isBusyWaitLoop(node)) site = { kind: "busy-wait", node, name: "a busy-wait loop" };
      else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && calls.isCandidate(node) && context.inScope(node)) site = calls.classify(node, context.chainDepth);
      else if (isPropertyRead(node) && calls.isCandidateRead(node) && context.inScope(node)) site = calls.classifyRead(node, context.chainDepth);
      if (!site || runsOnce(site.node)) return;
      const fixes: Fix[] = [];
      // `await` is only legal directly in the async function's body, not in a callback inside it.
      if (region.kind === "async-body" && site.kind === "api" && site.passedAs === undefined) {
        const twin = asyncTwinFix(context.checker, site.node, site.ref, site.api);
        if (twin) fixes.push(twin);
      }
      const ignore = ignoreLineFix(site.node, ID);
      if (ignore) fixes.push(ignore);
      const report: Report = { node: site.node, ...messageFor(site), fixes };
      if (site.kind === "chain") report.related = chainHops(site);
      context.report(report);
    }, context.skips);
  },
};
