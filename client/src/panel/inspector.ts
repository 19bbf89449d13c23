// The Task Inspector's commands: run the active JavaScript file (or a
// TypeScript file's build output, see build-output.ts) under the
// bundled runtime while the extension listens on loopback with a token,
// attach to a program started with ASYNC_LENS_LISTEN, open (replay) and save
// trace files. Whatever feeds the panel also feeds the runtime findings, shown
// as diagnostics at their lines until the next run, a replay or "Clear Runtime
// Findings" removes them.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as vscode from "vscode";
import { TRACE_FILE_MAGIC, encodeFrame, type BatchMessage } from "../../../runtime/src/protocol";
import { listenForRuntimes } from "../../../runtime/src/transport/editor-listener";
import { attachToRuntime, type Viewer } from "../../../runtime/src/transport/viewer-client";
import { buildOutputFor, isTypeScript } from "./build-output";
import { TaskInspectorView, VIEW_ID } from "./inspector-view";
import type { FromWebview } from "./messages";
import { RuntimeFindings, findingMessage } from "./runtime-findings";
import { TraceFeed, replayMessages } from "./trace-feed";

export const RUNTIME_DIAGNOSTIC_SOURCE = "async-lens runtime";
/** Frames kept for "Save the trace"; a longer session keeps its first part and says so. */
const MAX_RECORDED_BYTES = 256 * 1024 * 1024;
const DIAGNOSTICS_EVERY_MS = 500;
const JS_FILE = /\.(c|m)?jsx?$/;
/** The runtime's default token file name, `$TMPDIR/async-lens-PID.json`. */
const TOKEN_FILE = /^async-lens-(\d+)\.json$/;

/** The token file a pid, a path or a Uri names, labelled by its process when the name says it. */
function tokenFileOf(target: unknown, dir: string): { label: string; file: string } | undefined {
  if (typeof target === "number" && Number.isInteger(target) && target > 0) return { label: `process ${target}`, file: path.join(dir, `async-lens-${target}.json`) };
  const file = target instanceof vscode.Uri ? target.fsPath : typeof target === "string" && target !== "" ? target : undefined;
  if (file === undefined) return undefined;
  const pid = TOKEN_FILE.exec(path.basename(file))?.[1];
  return { label: pid ? `process ${pid}` : path.basename(file), file };
}

export class TaskInspector implements vscode.Disposable {
  readonly view: TaskInspectorView;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection(RUNTIME_DIAGNOSTIC_SOURCE);
  private readonly programOutput = vscode.window.createOutputChannel("Async Lens: Program");
  private readonly findings = new RuntimeFindings();
  private feed: TraceFeed | undefined;
  private recorded: Uint8Array[] = [];
  private recordedBytes = 0;
  private notRecorded = 0;
  private diagnosticsTimer: ReturnType<typeof setTimeout> | undefined;
  private stopSession: (() => void) | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: (line: string) => void,
  ) {
    this.view = new TaskInspectorView(context.extensionUri, (m) => this.onMessage(m), log);
  }

  registrations(): vscode.Disposable[] {
    return [vscode.window.registerWebviewViewProvider(VIEW_ID, this.view, { webviewOptions: { retainContextWhenHidden: true } }), this];
  }

  /** Command handlers, by command id. */
  commands() {
    return {
      "asyncLens.showTaskInspector": () => this.view.show(),
      "asyncLens.runCurrentFile": () => this.runCurrentFile(),
      "asyncLens.attachToProcess": (target?: unknown) => this.attachToProcess(target),
      // The explorer's context menu passes the file it was opened on; the palette passes nothing.
      "asyncLens.openTraceFile": (uri?: unknown) => this.openTraceFile(uri instanceof vscode.Uri ? uri : undefined),
      // The panel's save button passes nothing and asks where; a caller may name the file.
      "asyncLens.saveTrace": (uri?: unknown) => this.saveTrace(uri instanceof vscode.Uri ? uri : undefined),
      "asyncLens.showInTaskInspector": (file?: unknown, line?: unknown) => this.showSite(file, line),
      "asyncLens.clearRuntimeFindings": () => this.clearFindings(),
    };
  }

  /**
   * Opens the panel filtered to the tasks created (or blocking) at a line: the one a code
   * action passes, or from the palette the cursor's line in the active editor.
   */
  async showSite(file?: unknown, line?: unknown): Promise<void> {
    let site: { file: string; line: number } | undefined;
    if (typeof file === "string" && typeof line === "number" && Number.isInteger(line) && line >= 1) site = { file, line };
    else {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.uri.scheme === "file") site = { file: editor.document.uri.fsPath, line: editor.selection.active.line + 1 };
    }
    if (!site) {
      void vscode.window.showErrorMessage("Async Lens: Show in Task Inspector filters the panel to a line of a file: put the cursor on one and run the command again.");
      return;
    }
    await this.view.show();
    await this.view.post({ type: "filter-site", ...site });
  }

  /** Removes the last run's diagnostics; the panel keeps its trace. */
  clearFindings(): void {
    clearTimeout(this.diagnosticsTimer);
    this.diagnosticsTimer = undefined;
    this.findings.clear();
    this.diagnostics.clear();
  }

  async runCurrentFile(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== "file" || !(JS_FILE.test(document.fileName) || isTypeScript(document.fileName))) {
      void vscode.window.showErrorMessage("Async Lens: Run Current File runs a JavaScript or TypeScript file: open one and run the command again.");
      return;
    }
    if (document.isDirty) await document.save();
    const file = document.fileName;
    let program = file;
    if (isTypeScript(file)) {
      const output = await buildOutputFor(file);
      if (!output.ok) {
        void vscode.window.showErrorMessage(`Async Lens: ${output.reason}`);
        return;
      }
      program = output.file;
      if (output.stale) void vscode.window.showWarningMessage(`Async Lens: ${path.basename(program)} is older than ${path.basename(file)}: rebuild the project to run what the editor shows.`);
    }
    this.startSession("live", path.basename(file));
    const listener = await listenForRuntimes({
      onBatch: (batch) => this.receive(batch),
      onRefused: (reason) => this.log(`Task Inspector: refused a connection: ${reason}`),
    });
    const register = pathToFileURL(this.context.asAbsolutePath(path.join("dist", "runtime", "register.js"))).href;
    const cwd = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(file);
    // Every root task recorded: a run from the editor is for looking, not for production overhead.
    const env = { ...process.env, ...listener.env, ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "0" };
    this.programOutput.clear();
    this.programOutput.show(true);
    this.programOutput.appendLine(`$ node --import ${register} ${program}`);
    let child: ChildProcess;
    try {
      // The user's own node on PATH: VS Code's process.execPath is the editor, not Node.
      child = spawn("node", ["--import", register, program], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      await listener.close();
      void vscode.window.showErrorMessage(`Async Lens: could not start node: ${String(error)}`);
      return;
    }
    child.stdout?.on("data", (chunk: Buffer) => this.programOutput.append(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => this.programOutput.append(chunk.toString()));
    const stop = () => {
      child.kill();
      void listener.close();
    };
    const finished = (text: string) => {
      this.programOutput.appendLine(text);
      void listener.close();
      // A run that ends after a newer session started says nothing about that session.
      if (this.stopSession !== stop) return;
      void this.view.post({ type: "status", text });
      void this.feed?.flush();
      this.updateDiagnostics();
    };
    child.on("error", (error) => finished(`Could not run node: ${error.message}`));
    child.on("exit", (code, signal) => finished(`${path.basename(file)} exited ${signal ? `on ${signal}` : `with code ${code}`}`));
    this.stopSession = stop;
    await this.view.show();
  }

  /**
   * Attaches to a program in listen mode: the one `target` names (a pid, a token file's path or
   * Uri, as a script or another extension passes it), or the one the user picks.
   */
  async attachToProcess(target?: unknown): Promise<void> {
    const dir = os.tmpdir();
    const picked = target === undefined ? await this.pickTokenFile(dir) : tokenFileOf(target, dir);
    if (!picked) {
      if (target !== undefined) void vscode.window.showErrorMessage(`Async Lens: Attach to Process takes a process id or a token file, not ${JSON.stringify(target)}.`);
      return;
    }
    const { label, file: tokenFile } = picked;
    this.startSession("live", label);
    let viewer: Viewer;
    try {
      // async-lens-ignore-next-line blocking-call -- it reads a token file of a few bytes, once, when the user attaches
      viewer = attachToRuntime(tokenFile, (batch) => this.receive(batch), (error) => this.log(`Task Inspector: ${error}`));
    } catch (error) {
      void vscode.window.showErrorMessage(`Async Lens: cannot attach with ${tokenFile}: ${String(error)}`);
      return;
    }
    const stop = () => viewer.close();
    void viewer.closed.then(() => {
      // A connection that closes after a newer session started (a refused token, seen late) says nothing about that session.
      if (this.stopSession !== stop) return;
      void this.view.post({ type: "status", text: `${label}: disconnected` });
      void this.feed?.flush();
      this.updateDiagnostics();
    });
    this.stopSession = stop;
    await this.view.show();
  }

  private async pickTokenFile(dir: string): Promise<{ label: string; file: string } | undefined> {
    const files = (await fs.promises.readdir(dir)).filter((f) => TOKEN_FILE.test(f));
    const items = files.map((f) => ({ ...tokenFileOf(path.join(dir, f), dir)!, description: path.join(dir, f) }));
    const browse = { label: "Browse for a token file…", description: "", file: "" };
    const picked = await vscode.window.showQuickPick([...items, browse], { title: "Attach to a program started with ASYNC_LENS_LISTEN" });
    if (!picked || picked.file) return picked;
    const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "Async Lens token file": ["json"] } });
    return chosen && tokenFileOf(chosen[0], dir);
  }

  async openTraceFile(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "Async Lens trace": ["alens"] } }))?.[0];
    if (!target) return;
    let messages;
    try {
      messages = replayMessages(await vscode.workspace.fs.readFile(target), path.basename(target.fsPath));
    } catch (error) {
      void vscode.window.showErrorMessage(`Async Lens: ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.endSession();
    this.clearFindings();
    for (const message of messages) {
      if (message.type === "batches") for (const batch of message.batches) this.findings.add(batch);
      void this.view.post(message);
    }
    this.updateDiagnostics();
    await this.view.show();
  }

  private async saveTrace(to?: vscode.Uri): Promise<void> {
    if (this.recorded.length === 0) {
      void vscode.window.showInformationMessage("Async Lens: there is no trace to save yet: run or attach to a program first.");
      return;
    }
    const target = to ?? (await vscode.window.showSaveDialog({ filters: { "Async Lens trace": ["alens"] } }));
    if (!target) return;
    const file = new Uint8Array(TRACE_FILE_MAGIC.length + this.recordedBytes);
    file.set(TRACE_FILE_MAGIC);
    let at = TRACE_FILE_MAGIC.length;
    for (const frame of this.recorded) {
      file.set(frame, at);
      at += frame.length;
    }
    await vscode.workspace.fs.writeFile(target, file);
    if (this.notRecorded > 0) void vscode.window.showWarningMessage(`Async Lens: saved the first ${this.recorded.length} batches; ${this.notRecorded} later ones were past the recording limit.`);
  }

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case "open-source": {
        const uri = message.file.startsWith("file://") ? vscode.Uri.parse(message.file) : vscode.Uri.file(message.file);
        const position = new vscode.Position(message.line - 1, message.column - 1);
        void vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true }).then(undefined, (error: unknown) => {
          void vscode.window.showErrorMessage(`Async Lens: cannot open ${message.file}: ${String(error)}`);
        });
        break;
      }
      case "save-trace":
        void this.saveTrace();
        break;
      case "open-trace":
        void this.openTraceFile();
        break;
      case "pause":
      case "ready":
        break;
    }
  }

  /** A new run or attach: the panel, the recording and the last run's diagnostics start afresh. */
  private startSession(mode: "live", label: string): void {
    this.endSession();
    this.clearFindings();
    this.recorded = [];
    this.recordedBytes = 0;
    this.notRecorded = 0;
    this.feed = new TraceFeed((message) => this.view.post(message));
    void this.view.post({ type: "session", mode, label });
  }

  private endSession(): void {
    this.stopSession?.();
    this.stopSession = undefined;
    this.feed?.dispose();
    this.feed = undefined;
  }

  private receive(batch: BatchMessage): void {
    this.feed?.push(batch);
    this.findings.add(batch);
    const frame = encodeFrame(batch);
    if (this.recordedBytes + frame.length <= MAX_RECORDED_BYTES) {
      this.recorded.push(frame);
      this.recordedBytes += frame.length;
    } else this.notRecorded++;
    this.diagnosticsTimer ??= setTimeout(() => this.updateDiagnostics(), DIAGNOSTICS_EVERY_MS);
  }

  private updateDiagnostics(): void {
    clearTimeout(this.diagnosticsTimer);
    this.diagnosticsTimer = undefined;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of this.findings.list()) {
      const line = Math.max(0, f.line - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), findingMessage(f), vscode.DiagnosticSeverity.Warning);
      diagnostic.source = RUNTIME_DIAGNOSTIC_SOURCE;
      diagnostic.code = f.check;
      const list = byFile.get(f.file) ?? [];
      list.push(diagnostic);
      byFile.set(f.file, list);
    }
    this.diagnostics.clear();
    for (const [file, list] of byFile) this.diagnostics.set(file.startsWith("file://") ? vscode.Uri.parse(file) : vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.endSession();
    clearTimeout(this.diagnosticsTimer);
    this.diagnostics.dispose();
    this.programOutput.dispose();
    this.view.dispose();
  }
}
