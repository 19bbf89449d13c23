// Waiting for something to happen, never for a fixed time: each helper
// resolves on the event itself and fails with a message after a timeout.
import * as fs from "node:fs";
import * as path from "node:path";

export function waitForFile(file: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(path.dirname(file), () => fs.existsSync(file) && fs.statSync(file).size > 0 && done(resolve));
    const timer = setTimeout(() => done(() => reject(new Error(`${file} never appeared`))), timeoutMs);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      watcher.close();
      settle();
    };
    if (fs.existsSync(file) && fs.statSync(file).size > 0) done(resolve);
  });
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
