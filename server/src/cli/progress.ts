// The progress line on stderr while a large project loads and is analysed.
// Only on an interactive terminal: a CI log or a pipe never gets it, so output
// that tools read stays clean.
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

/** Below this many files the analysis finishes too fast for a counter to help. */
export const PROGRESS_MIN_FILES = 50;
/** A file this large (characters) takes seconds on its own: it gets a line of its own. */
export const PROGRESS_LARGE_FILE = 1024 * 1024;
/** Redraws are rate-limited: a terminal repainting per file slows the run down. */
const REDRAW_INTERVAL_MS = 100;

export class ProgressLine {
  private shown = false;
  private lastDraw = -Infinity;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = stream.isTTY === true;
  }

  /** A phase with no count, such as loading the project. */
  status(text: string): void {
    this.draw(text);
  }

  /** Called after each analysed file. */
  file(done: number, total: number): void {
    if (total < PROGRESS_MIN_FILES) return;
    const time = this.now();
    if (done < total && time - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = time;
    this.draw(`Analysing ${done}/${total} files (${Math.floor((done / total) * 100)}%)`);
  }

  /** Called before each file: a large one is named while it is analysed, however few files there are. */
  fileStarted(name: string, size: number, done: number, total: number): void {
    if (size < PROGRESS_LARGE_FILE) return;
    const counter = total > 1 ? `, file ${done + 1} of ${total}` : "";
    this.draw(`Analysing ${name} (${(size / (1024 * 1024)).toFixed(1)} MB${counter})…`);
  }

  /** Removes the line so the report starts on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write("\r\u001b[K");
    this.shown = false;
  }

  private draw(text: string): void {
    if (!this.enabled) return;
    // A terminal that reports no width (0) gets the classic 80 columns.
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    this.stream.write(`\r\u001b[K${text.length > width ? text.slice(0, width) : text}`);
    this.shown = true;
  }
}
