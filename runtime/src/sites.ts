// Creation sites from V8 call sites. Capturing a stack costs microseconds, so
// the caller rations it; formatting stays minimal and the worker parses and
// source-maps the result off the main thread.
import * as path from "node:path";

const RUNTIME_DIR = path.resolve(__dirname) + path.sep;

function isUserFile(file: string | null | undefined): file is string {
  return !!file && !file.startsWith("node:") && !file.includes(RUNTIME_DIR) && !file.startsWith("file://" + RUNTIME_DIR);
}

/**
 * The innermost frame outside Node's internals and this runtime, as
 * "file\tline\tcolumn\tfunction", or undefined when there is none. Frames in
 * `skipPackages` (the instrumented library itself) are passed over too, so a
 * lock wait is reported where the program called the library.
 */
export function captureSite(skipPackages?: string): string | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 24;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.captureStackTrace(holder, captureSite);
    const callSites = holder.stack;
    if (!Array.isArray(callSites)) return undefined;
    for (const cs of callSites) {
      const file = cs.getFileName() ?? cs.getScriptNameOrSourceURL();
      if (!isUserFile(file)) continue;
      if (skipPackages !== undefined && file.includes(skipPackages)) continue;
      return `${file}\t${cs.getLineNumber() ?? 0}\t${cs.getColumnNumber() ?? 0}\t${cs.getFunctionName() ?? ""}`;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
