// A JSON-RPC client for the protocol tests and the benchmark: spawns the real
// `async-lens lsp --stdio` process and speaks LSP to it through
// vscode-languageserver-protocol, the library editors' clients build on.
import { fork, spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type Range,
} from "vscode-languageserver-protocol/node";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const CLI = path.join(REPO_ROOT, "out/server/src/cli/main.js");

export const uriOf = (file: string): string => pathToFileURL(file).href;

export interface ServerOptions {
  capabilities?: ClientCapabilities;
  /** What the server is told for `workspace/configuration` requests, by section. */
  settings?: () => unknown;
  rootDir: string;
  /** How the server is started: `lsp --stdio` (any editor) or forked with `lsp --node-ipc` (the VS Code client). */
  transport?: "stdio" | "ipc";
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  /** `$/progress` notifications, in order. */
  readonly progress: { token: string | number; value: { kind: string; title?: string; message?: string } }[] = [];
  /** What the server logged (window/logMessage). */
  readonly log: string[] = [];
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in order. */
  readonly publications: PublishDiagnosticsParams[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    options: ServerOptions,
  ) {
    this.connection =
      options.transport === "ipc"
        ? createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
        : createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on("data", (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params);
      this.publications.push(params);
      this.notify();
    });
    this.connection.onRequest("workspace/configuration", (params: { items: { section?: string }[] }) => params.items.map(() => options.settings?.() ?? {}));
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.onRequest("window/workDoneProgress/create", () => null);
    this.connection.onNotification("$/progress", (p: LspClient["progress"][number]) => {
      this.progress.push(p);
      this.notify();
    });
    this.connection.onNotification("window/logMessage", (m: { message: string }) => void this.log.push(m.message));
    this.connection.listen();
  }

  static async start(options: ServerOptions): Promise<LspClient> {
    const child =
      options.transport === "ipc"
        ? fork(CLI, ["lsp", "--node-ipc", `--clientProcessId=${process.pid}`], { cwd: options.rootDir, stdio: ["pipe", "pipe", "pipe", "ipc"] })
        : spawn(process.execPath, [CLI, "lsp", "--stdio"], { cwd: options.rootDir, stdio: "pipe" });
    const client = new LspClient(child, options);
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(options.rootDir),
      workspaceFolders: [{ uri: uriOf(options.rootDir), name: path.basename(options.rootDir) }],
      capabilities: options.capabilities ?? {},
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-probing on every published message. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; server log: ${this.log.join("\n")}; stderr: ${this.stderr.join("")}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Pushed diagnostics of `file` for its current version that satisfy `accept`. */
  diagnostics(file: string, accept: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    return this.waitFor(`diagnostics of ${path.basename(file)} (version ${this.versions.get(uri)})`, () => {
      const p = this.published.get(uri);
      if (p === undefined || (p.version !== undefined && p.version !== this.versions.get(uri)) || !accept(p.diagnostics)) return undefined;
      return p.diagnostics;
    });
  }

  async open(file: string, text: string, languageId = "typescript"): Promise<void> {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async close(file: string): Promise<void> {
    const uri = uriOf(file);
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Replaces `range` with `text`, as one incremental change. */
  async edit(file: string, range: Range, text: string): Promise<number> {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  /** Shuts the server down as an editor does, and waits for the process to end. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}
