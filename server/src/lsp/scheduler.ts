// When each open file is analysed, and which results may be shown.
//
// An edit restarts the file's debounce timer; when it fires the file is
// analysed against the program of that moment. Analysis is synchronous, so a
// newer edit cannot interrupt it: instead, once it ends, the messages that
// arrived meanwhile are let in, and a result whose document version (or
// dependency stamp) is no longer current is dropped — the newer edit has
// scheduled its own run. So a result is never published over a newer text.
//
// After an edited file is analysed, the open files that depend on it (see
// dependents.ts) get their stamp bumped: their shown results are stale and
// they are analysed again, without being reopened.
//
// An edit to one file alone is analysed in part (see partial-analysis): the
// units it can have changed are checked again and the others keep their
// findings, which keeps typing fast. Once typing pauses the file is analysed
// in full, and a result that differs replaces the partial one.
import { analyseFile, type ConfigFiles, type FileAnalysis } from "./analysis";
import { relatedFiles } from "./dependents";
import type { Project } from "./project";
import type { AsyncLensSettings } from "./settings";
import type { Workspace } from "./workspace";

export interface OpenDocument {
  uri: string;
  text: string;
  version: number;
}

export interface SchedulerHost {
  document(file: string): OpenDocument | undefined;
  settingsFor(file: string): Promise<AsyncLensSettings>;
  /** Builds a new project's first program, reporting progress where the client shows it. */
  load(project: Project): Promise<void>;
  /** A fresh result for an open file (push clients publish it; pull clients are answered from it). */
  analysed(result: FileAnalysis): void;
  /** Results of other open files went stale (pull clients are asked to pull again). */
  staled(files: string[]): void;
  log(message: string): void;
}

/** How long typing must pause before a partial result is confirmed by a full analysis. */
const CONFIRM_AFTER_MS = 750;

/** Lets the connection read and dispatch what arrived during a synchronous analysis. */
function yieldToIncoming(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export class Scheduler {
  private readonly results = new Map<string, FileAnalysis>();
  private readonly stamps = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Full analyses waiting for typing to pause, of files whose shown result is partial. */
  private readonly confirmations = new Map<string, NodeJS.Timeout>();
  /** Files edited since their last analysis: their dependents are refreshed after it. */
  private readonly edited = new Set<string>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly loaded = new WeakSet<Project>();
  /** Runs one at a time: two analyses interleaved at their awaits could publish out of order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: SchedulerHost,
    private readonly workspace: Workspace,
    private readonly configs: ConfigFiles,
  ) {}

  opened(file: string): void {
    this.bump(file);
    this.schedule(file, 0);
  }

  changed(file: string, debounce: number): void {
    this.bump(file);
    this.edited.add(file);
    this.schedule(file, debounce);
  }

  closed(file: string): void {
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    clearTimeout(this.confirmations.get(file));
    this.confirmations.delete(file);
    this.results.delete(file);
    this.stamps.delete(file);
    this.edited.delete(file);
    this.workspace.closed(file);
    // A pull still waiting for this file is answered as cancelled.
    this.wake(file);
  }

  /** Settings or configuration changed: every open file is analysed again. */
  invalidate(files: Iterable<string>): void {
    const stale = [...files];
    for (const file of stale) {
      this.bump(file);
      this.schedule(file, 0);
    }
    this.host.staled(stale);
  }

  /** The current result of an open file, if it is for the text on screen. */
  fresh(file: string): FileAnalysis | undefined {
    const result = this.results.get(file);
    const doc = this.host.document(file);
    return result !== undefined && doc !== undefined && result.version === doc.version && result.stamp === this.stampOf(file) ? result : undefined;
  }

  /** Waits for the result of the text on screen; undefined when cancelled or the file was closed. */
  async whenFresh(file: string, cancelled: () => boolean, onCancel: (listener: () => void) => void): Promise<FileAnalysis | undefined> {
    for (;;) {
      const result = this.fresh(file);
      if (result !== undefined) return result;
      if (cancelled() || this.host.document(file) === undefined) return undefined;
      if (!this.timers.has(file)) this.schedule(file, 0);
      await new Promise<void>((resolve) => {
        const set = this.waiters.get(file) ?? new Set();
        set.add(resolve);
        this.waiters.set(file, set);
        onCancel(resolve);
      });
    }
  }

  private stampOf(file: string): number {
    return this.stamps.get(file) ?? 0;
  }

  private bump(file: string): void {
    this.stamps.set(file, this.stampOf(file) + 1);
  }

  private schedule(file: string, delay: number): void {
    clearTimeout(this.confirmations.get(file));
    this.confirmations.delete(file);
    this.enqueueAfter(this.timers, file, delay, false);
  }

  private wake(file: string): void {
    const set = this.waiters.get(file);
    this.waiters.delete(file);
    set?.forEach((resolve) => resolve());
  }

  /** A full analysis of a file whose shown result is partial, once nothing has changed for a while. */
  private confirm(file: string): void {
    this.enqueueAfter(this.confirmations, file, CONFIRM_AFTER_MS, true);
  }

  /** Queues an analysis of `file` after `delay`, replacing the one `timers` holds for it. */
  private enqueueAfter(timers: Map<string, NodeJS.Timeout>, file: string, delay: number, full: boolean): void {
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        this.enqueue(file, full);
      }, delay),
    );
  }

  private enqueue(file: string, full: boolean): void {
    this.queue = this.queue.then(() => this.run(file, full)).catch((error: unknown) => this.host.log(`analysis of ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  private async run(file: string, full: boolean): Promise<void> {
    const shown = this.fresh(file);
    if (this.host.document(file) === undefined || (shown !== undefined && !(full && shown.partial))) return this.wake(file);
    const settings = await this.host.settingsFor(file);
    const doc = this.host.document(file);
    if (doc === undefined) return this.wake(file);
    // async-lens-ignore-next-line blocking-call -- the server's event loop serves one editor; finding the tsconfig is a few stat calls before a synchronous TypeScript analysis
    const project = this.workspace.projectOf(file);
    if (!this.loaded.has(project)) {
      this.loaded.add(project);
      await this.host.load(project);
    }
    const stamp = this.stampOf(file);
    const previous = this.results.get(file);
    const result: FileAnalysis = settings.enable
      ? // async-lens-ignore-next-line blocking-call -- analysis is synchronous TypeScript work; the configuration file is read once per project and cached
        analyseFile(project, file, doc.version, stamp, this.configs.of(project.root).config, settings, full ? undefined : previous)
      : { file, version: doc.version, stamp, findings: [], problems: [] };
    await yieldToIncoming();
    if (this.host.document(file)?.version !== result.version) return;
    if (this.stampOf(file) !== stamp) return this.schedule(file, 0);
    this.results.set(file, result);
    if (result.partial) this.confirm(file);
    if (shown !== undefined && sameFindings(shown, result)) return;
    this.host.analysed(result);
    if (shown !== undefined) this.host.staled([file]);
    this.wake(file);
    if (this.edited.delete(file)) this.refreshDependents(project, result, previous);
  }

  private refreshDependents(project: Project, result: FileAnalysis, previous: FileAnalysis | undefined): void {
    const program = project.program();
    const others = this.workspace.openFilesOf(project).filter((f) => f !== result.file);
    const dependents = new Set([
      ...project.imports.importersOf([result.file], project.sourceFiles(program)),
      ...relatedFiles(result.file, previous?.findings, result.findings, ...others.map((f) => this.results.get(f)?.findings)),
    ]);
    const stale = others.filter((f) => dependents.has(f));
    for (const file of stale) {
      this.bump(file);
      this.schedule(file, 0);
    }
    if (stale.length > 0) this.host.staled(stale);
  }
}

function sameFindings(a: FileAnalysis, b: FileAnalysis): boolean {
  return JSON.stringify([a.findings, a.problems]) === JSON.stringify([b.findings, b.problems]);
}
