/** Where the collector sends encoded frames. A sink never blocks or buffers without bound: it drops and counts. */
export interface Sink {
  send(frame: Uint8Array, events: number): void;
  close(): void;
  /** Events dropped because the destination was slow, absent or full. */
  readonly dropped: number;
  /** Bytes held for the destination right now. */
  readonly bufferedBytes: number;
}
