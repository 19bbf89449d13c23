// `node --import async-lens/register app.js` (or `-r async-lens/register`):
// starts the runtime from environment settings. It also puts itself in
// NODE_OPTIONS so child processes are instrumented too, each as its own
// process in the trace; worker threads get it through the inherited options.
import * as path from "node:path";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { start } from "./agent";

// Threads that are not the program's: the runtime's own collector, and the
// ESM loader hooks thread (the only worker without a parent port).
const ownWorker = !isMainThread && (workerData as { asyncLensInternal?: boolean } | null)?.asyncLensInternal === true;
const loaderThread = !isMainThread && parentPort === null;

if (!ownWorker && !loaderThread) {
  const self = path.join(__dirname, "register.js");
  const options = process.env.NODE_OPTIONS ?? "";
  if (!options.includes(self)) process.env.NODE_OPTIONS = `${options} --require ${JSON.stringify(self)}`.trim();
  start();
}
