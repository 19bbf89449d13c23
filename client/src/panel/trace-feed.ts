// The extension's side of feeding the Task Inspector (no vscode import, so
// the browser tests drive the webview through it as the extension does).
// Live batches are coalesced into one message every few tens of milliseconds;
// if the webview falls behind, whole batches are dropped and counted rather
// than queued without bound. A trace file is replayed as a session followed by
// its batches in messages of bounded size.
import { decodeTraceFile, type BatchMessage } from "../../../runtime/src/protocol";
import type { ToWebview } from "./messages";

export interface FeedOptions {
  /** How often queued batches go to the webview. */
  intervalMs: number;
  /** Events queued beyond this are dropped (and counted) until the webview catches up. */
  maxPendingEvents: number;
}

const DEFAULT_FEED: FeedOptions = { intervalMs: 50, maxPendingEvents: 500_000 };

/** Events per message when replaying a file: big enough to load fast, small enough to keep the webview responsive. */
const REPLAY_MESSAGE_EVENTS = 20_000;

export class TraceFeed {
  private pending: BatchMessage[] = [];
  private pendingEvents = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  /** Events dropped because the webview fell behind. */
  dropped = 0;

  constructor(
    private readonly post: (message: ToWebview) => PromiseLike<unknown>,
    private readonly options: FeedOptions = DEFAULT_FEED,
  ) {}

  push(batch: BatchMessage): void {
    if (this.pendingEvents + batch.events.length > this.options.maxPendingEvents) {
      this.dropped += batch.events.length;
      return;
    }
    this.pending.push(batch);
    this.pendingEvents += batch.events.length;
    this.timer ??= setTimeout(() => this.flush(), this.options.intervalMs);
  }

  /** Sends what is queued now; resolves once the webview has taken it. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // One message in flight at a time: the next carries everything that queued meanwhile.
    if (this.inFlight || this.pending.length === 0) return;
    const batches = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    this.inFlight = true;
    try {
      await this.post({ type: "batches", batches, dropped: this.dropped });
    } finally {
      this.inFlight = false;
    }
    if (this.pending.length > 0) this.timer ??= setTimeout(() => this.flush(), this.options.intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending = [];
  }
}

/** The messages that replay a trace file's bytes: a replay session, then its batches. */
export function replayMessages(bytes: Uint8Array, label: string): ToWebview[] {
  const trace = decodeTraceFile(bytes);
  const notes = [trace.truncated ? "ends mid-record (the program was killed)" : "", trace.rejected ? `${trace.rejected} malformed records skipped` : ""].filter((n) => n);
  const messages: ToWebview[] = [{ type: "session", mode: "replay", label: notes.length > 0 ? `${label} (${notes.join("; ")})` : label }];
  let chunk: BatchMessage[] = [];
  let events = 0;
  for (const batch of trace.messages) {
    chunk.push(batch);
    events += batch.events.length;
    if (events >= REPLAY_MESSAGE_EVENTS) {
      messages.push({ type: "batches", batches: chunk });
      chunk = [];
      events = 0;
    }
  }
  if (chunk.length > 0) messages.push({ type: "batches", batches: chunk });
  return messages;
}
