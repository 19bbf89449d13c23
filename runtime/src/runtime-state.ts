// The one running recorder, if any, for adapters loaded at any time: they
// patch libraries once and consult this on every call, so stop() turns them
// back into plain pass-throughs.
import type { Recorder } from "./recorder";

let active: Recorder | undefined;

export function activeRecorder(): Recorder | undefined {
  return active;
}

export function setActiveRecorder(rec: Recorder | undefined): void {
  active = rec;
}
