// Creation sites from V8 call sites. Capturing a stack costs microseconds, so
// the caller rations it; formatting stays minimal and the worker parses and
// source-maps the result off the main thread.
import * as path from "node:path";

const RUNTIME_DIR = path.resolve(__dirname) + path.sep;

const callSitesOf = (_error: Error, callSites: NodeJS.CallSite[]) => callSites;

function isUserFile(file: string | null | undefined): file is string {
  return !!file && !file.startsWith("node:") && !file.includes(RUNTIME_DIR) && !file.startsWith("file://" + RUNTIME_DIR);
}

/**
 * The innermost frame outside Node's internals and this runtime, as
 * "file\tline\tcolumn\tfunction", or undefined when there is none. With
 * `skipPackages` (the instrumented library), frames in node_modules are
 * passed over when the program's own code is further down, so a lock wait is
 * reported where the program called the library, not in its helpers (tslib).
 */
export function captureSite(skipPackages?: string, caller: (...args: never[]) => unknown = captureSite): string | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  // Frames from `caller` up are the runtime's own and are not captured at
  // all; a creation site is then within the first few frames, while a
  // library's wrappers (skipPackages) can stack deeper. Each frame costs.
  Error.stackTraceLimit = skipPackages === undefined ? 6 : 24;
  Error.prepareStackTrace = callSitesOf;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.captureStackTrace(holder, caller);
    const callSites = holder.stack;
    if (!Array.isArray(callSites)) return undefined;
    let fallback: string | undefined;
    for (const cs of callSites) {
      const file = cs.getFileName() ?? cs.getScriptNameOrSourceURL();
      if (!isUserFile(file)) continue;
      const site = `${file}\t${cs.getLineNumber() ?? 0}\t${cs.getColumnNumber() ?? 0}\t${cs.getFunctionName() ?? ""}`;
      if (skipPackages === undefined) return site;
      if (file.includes(skipPackages)) continue;
      if (!file.includes("/node_modules/")) return site;
      fallback ??= site;
    }
    return fallback;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
