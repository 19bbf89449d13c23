// The runtime's own diagnostics. They never go to the host program's stdout or
// stderr (that would change its output); they go to ASYNC_LENS_LOG, or to
// stderr only when that variable says "stderr", or nowhere.
import * as fs from "node:fs";

let target: string | undefined;

export function setLogTarget(file: string | undefined): void {
  target = file;
}

export function log(message: string): void {
  if (target === undefined) return;
  const line = `[async-lens ${process.pid}] ${new Date().toISOString()} ${message}\n`;
  try {
    if (target === "stderr") fs.writeSync(2, line);
    else fs.appendFileSync(target, line);
  } catch {
    // Logging must never be the thing that breaks the host program.
  }
}
