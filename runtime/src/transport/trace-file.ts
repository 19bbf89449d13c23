// The trace file: the magic header, then frames appended with one write each.
// O_APPEND makes each write land whole at the end even when child processes
// append to the same file, and a process killed mid-write leaves at most one
// torn frame at the end, which readers skip.
import * as fs from "node:fs";
import { TRACE_FILE_MAGIC, decodeTraceFile, type DecodedTrace } from "../protocol";
import type { Sink } from "./sink";
import { log } from "../log";

/**
 * Readies the trace file for appending: a new or empty file gets the magic
 * header, a trace file is appended to (runs of several processes, or several
 * runs, in one file), and anything else is refused rather than written into.
 * Called by the first process of a run, before any child exists.
 */
export function prepareTraceFile(file: string): void {
  const fd = fs.openSync(file, "a+");
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) {
      fs.writeSync(fd, TRACE_FILE_MAGIC);
      return;
    }
    const head = Buffer.alloc(TRACE_FILE_MAGIC.length);
    fs.readSync(fd, head, 0, head.length, 0);
    if (size < head.length || !TRACE_FILE_MAGIC.every((b, i) => head[i] === b)) throw new Error("the file exists and is not an Async Lens trace");
  } finally {
    fs.closeSync(fd);
  }
}

export class TraceFileSink implements Sink {
  private fd: number | undefined;
  private written = 0;
  dropped = 0;
  readonly bufferedBytes = 0;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {
    try {
      this.fd = fs.openSync(file, "a");
      if (fs.fstatSync(this.fd).size === 0) fs.writeSync(this.fd, TRACE_FILE_MAGIC);
    } catch (error) {
      log(`trace file ${file}: ${String(error)}`);
    }
  }

  send(frame: Uint8Array, events: number): void {
    if (this.fd === undefined || this.written + frame.length > this.maxBytes) {
      this.dropped += events;
      return;
    }
    try {
      fs.writeSync(this.fd, frame);
      this.written += frame.length;
    } catch (error) {
      log(`trace file ${this.file}: ${String(error)}`);
      this.dropped += events;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // Already closed by process teardown.
    }
    this.fd = undefined;
  }
}

export function readTraceFile(file: string): DecodedTrace {
  return decodeTraceFile(fs.readFileSync(file));
}
