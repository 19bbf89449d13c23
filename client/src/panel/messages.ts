// The messages between the Task Inspector webview and the extension, typed once
// and imported by both sides. Each side validates what it receives: a webview
// can be scripted by anything that gets into it, and the extension's messages
// carry trace data straight from an instrumented program. Trace data itself
// keeps the shape of the runtime's protocol and is checked by its validator.
import { validateMessage, type BatchMessage } from "../../../runtime/src/protocol";

/** Where the trace on screen comes from: a running program, or a recording being replayed. */
export type SessionMode = "live" | "replay";

export type ToWebview =
  /** Clears the panel for a new run or recording. */
  | { type: "session"; mode: SessionMode; label: string }
  /** Trace batches as the runtime sent or recorded them; `dropped`: events the extension has dropped so far this session. */
  | { type: "batches"; batches: BatchMessage[]; dropped?: number }
  /** Filters the task table to tasks created at a source line, or that blocked with it on the stack ("Show in Task Inspector"). */
  | { type: "filter-site"; file: string; line: number }
  /** A line for the status area: connection state, a program's exit. */
  | { type: "status"; text: string };

export type FromWebview =
  /** Sent once the webview listens, so the extension knows when to send. */
  | { type: "ready" }
  | { type: "open-source"; file: string; line: number; column: number }
  | { type: "pause"; paused: boolean }
  | { type: "save-trace" }
  | { type: "open-trace" };

export type Parsed<T> = { ok: true; value: T; skippedEvents: number } | { ok: false; error: string };

type Fields = Record<string, unknown>;
const isObj = (x: unknown): x is Fields => typeof x === "object" && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === "string";
const isLine = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x >= 1;
const ok = <T>(value: T, skippedEvents = 0): Parsed<T> => ({ ok: true, value, skippedEvents });
const fail = (error: string): Parsed<never> => ({ ok: false, error });

export function parseToWebview(x: unknown): Parsed<ToWebview> {
  if (!isObj(x)) return fail("message is not an object");
  switch (x.type) {
    case "session":
      return (x.mode === "live" || x.mode === "replay") && isStr(x.label) ? ok({ type: "session", mode: x.mode, label: x.label }) : fail("malformed session message");
    case "batches": {
      if (!Array.isArray(x.batches) || !(x.dropped === undefined || (typeof x.dropped === "number" && x.dropped >= 0))) return fail("malformed batches message");
      const batches: BatchMessage[] = [];
      let skipped = 0;
      for (const b of x.batches as unknown[]) {
        const checked = validateMessage(b);
        if (!checked.ok) return fail(`bad batch: ${checked.error}`);
        if (checked.value.type !== "batch") return fail("bad batch: not a batch");
        batches.push(checked.value);
        skipped += checked.skipped;
      }
      return ok({ type: "batches", batches, ...(x.dropped !== undefined ? { dropped: x.dropped as number } : {}) }, skipped);
    }
    case "filter-site":
      return isStr(x.file) && isLine(x.line) ? ok({ type: "filter-site", file: x.file, line: x.line }) : fail("malformed filter-site message");
    case "status":
      return isStr(x.text) ? ok({ type: "status", text: x.text }) : fail("malformed status message");
    default:
      return fail(`unknown message type ${JSON.stringify(x.type)}`);
  }
}

export function parseFromWebview(x: unknown): Parsed<FromWebview> {
  if (!isObj(x)) return fail("message is not an object");
  switch (x.type) {
    case "ready":
    case "save-trace":
    case "open-trace":
      return ok({ type: x.type });
    case "open-source":
      return isStr(x.file) && x.file.length > 0 && isLine(x.line) && isLine(x.column)
        ? ok({ type: "open-source", file: x.file, line: x.line, column: x.column })
        : fail("malformed open-source message");
    case "pause":
      return typeof x.paused === "boolean" ? ok({ type: "pause", paused: x.paused }) : fail("malformed pause message");
    default:
      return fail(`unknown message type ${JSON.stringify(x.type)}`);
  }
}
