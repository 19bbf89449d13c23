// The Async Lens language server: wires the LSP connection to the workspace
// (projects), the scheduler (when files are analysed) and the features
// (diagnostics, code actions, hover).
//
// Diagnostics are pulled (LSP 3.17 `textDocument/diagnostic`) by clients that
// support it: the client asks for the files it shows, when it shows them, and
// `workspace/diagnostic/refresh` tells it when files it did not edit changed
// (a caller of an edited helper). Clients without it (Neovim 0.7, Helix) get
// `textDocument/publishDiagnostics` after every analysis.
import "../core/load-typescript";
import * as path from "node:path";
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type InitializeResult,
  type TextDocumentIdentifier,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { toolVersion } from "../cli/version";
import { ConfigFiles, type FileAnalysis } from "./analysis";
import { codeActions, FIX_ALL_KIND, SHOW_DOCUMENTATION_COMMAND } from "./code-actions";
import { hoverAt } from "./hover";
import { Scheduler, type OpenDocument } from "./scheduler";
import { DEFAULT_SETTINGS, SETTINGS_SECTION, settingsFrom, type AsyncLensSettings } from "./settings";
import { fileOf, problemDiagnostic, toDiagnostic, uriOf } from "./to-lsp";
import { isTsconfig, Workspace } from "./workspace";

function diagnosticsOf(result: FileAnalysis): Diagnostic[] {
  return [...result.findings.map(toDiagnostic), ...result.problems.map(problemDiagnostic)];
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let pull = false;
  let folders: { uri: string; file: string }[] = [];
  /** Settings per workspace folder (or per loose file), until the client says they changed. */
  const settingsCache = new Map<string, Promise<AsyncLensSettings>>();
  /** Settings pushed with didChangeConfiguration, for clients that cannot be asked. */
  let pushedSettings: AsyncLensSettings = DEFAULT_SETTINGS;
  const configs = new ConfigFiles();
  /** Configuration files that currently carry a diagnostic. */
  const brokenConfigs = new Set<string>();

  /**
   * The URIs each open file is open under, by path: the LanguageService asks
   * after every file of a project on each update, and turning each path into
   * a URI to look it up cost milliseconds an edit. A client may open one file
   * under two spellings of its URI; the one opened last is the buffer shown.
   */
  const openUris = new Map<string, string[]>();
  const openUri = (file: string) => openUris.get(file)?.at(-1);
  const openDocument = (file: string) => {
    const uri = openUri(file);
    return uri === undefined ? undefined : documents.get(uri);
  };
  const documentOf = (file: string): OpenDocument | undefined => {
    const doc = openDocument(file);
    return doc === undefined ? undefined : { uri: doc.uri, text: doc.getText(), version: doc.version };
  };
  const openFiles = (): string[] => [...openUris.keys()];
  const workspace = new Workspace({
    get: (file) => {
      const doc = openDocument(file);
      return doc === undefined ? undefined : { text: doc.getText(), version: doc.version };
    },
  });

  const folderOf = (file: string) => folders.filter((f) => file.startsWith(f.file + path.sep)).sort((a, b) => b.file.length - a.file.length)[0];
  const settingsFor = (file: string): Promise<AsyncLensSettings> => {
    if (!capabilities.workspace?.configuration) return Promise.resolve(pushedSettings);
    const scopeUri = folderOf(file)?.uri ?? uriOf(file);
    let settings = settingsCache.get(scopeUri);
    if (settings === undefined) {
      settings = connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }).then(settingsFrom, () => DEFAULT_SETTINGS);
      settingsCache.set(scopeUri, settings);
    }
    return settings;
  };

  /** One diagnostic on each broken configuration file (tsconfig included), none once it is mended. */
  const publishConfigProblems = () => {
    const now = new Map<string, Diagnostic[]>();
    const problems = [...new Set(workspace.allProjects().map((p) => p.root))].flatMap((root) => configs.of(root).problems);
    for (const p of [...problems, ...workspace.configProblems()]) if (p.file !== undefined) now.set(p.file, [...(now.get(p.file) ?? []), problemDiagnostic(p)]);
    for (const file of brokenConfigs) if (!now.has(file)) void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
    brokenConfigs.clear();
    for (const [file, diagnostics] of now) {
      brokenConfigs.add(file);
      void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
    }
  };

  const scheduler = new Scheduler(
    {
      document: documentOf,
      settingsFor,
      load: async (project) => {
        const name = path.basename(project.kind.kind === "configured" ? path.dirname(project.kind.tsconfig) : project.root);
        const progress = capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
        progress?.begin("Async Lens", undefined, `Loading ${name}…`, false);
        try {
          const started = Date.now();
          const files = project.program().getSourceFiles().length;
          connection.console.info(`loaded ${project.kind.kind === "configured" ? project.kind.tsconfig : `the inferred project of ${project.root}`}: ${files} files in ${Date.now() - started} ms`);
          // async-lens-ignore-next-line blocking-call -- the server's event loop serves one editor, and loading a project is synchronous work in TypeScript anyway; a config file is one small read
          publishConfigProblems();
        } finally {
          progress?.done();
        }
      },
      analysed: (result) => {
        if (!pull) void connection.sendDiagnostics({ uri: openUri(result.file) ?? uriOf(result.file), version: result.version, diagnostics: diagnosticsOf(result) });
      },
      staled: () => {
        if (pull && capabilities.workspace?.diagnostics?.refreshSupport) void connection.languages.diagnostics.refresh();
      },
      log: (message) => connection.console.error(message),
    },
    workspace,
    configs,
  );

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    pull = capabilities.textDocument?.diagnostic !== undefined;
    folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "" }] : [])).flatMap((f) => {
      const file = fileOf(f.uri);
      return file === undefined ? [] : [{ uri: f.uri, file }];
    });
    workspace.setFolders(folders.map((f) => f.file));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        executeCommandProvider: { commands: [SHOW_DOCUMENTATION_COMMAND] },
        diagnosticProvider: pull ? { identifier: "async-lens", interFileDependencies: true, workspaceDiagnostics: false } : undefined,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "async-lens", version: toolVersion() },
    };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/{async-lens.config.json,package.json,tsconfig.json}" }, { globPattern: "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}" }],
      });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => f.uri));
        folders = [...folders.filter((f) => !removed.has(f.uri)), ...event.added.flatMap((f) => (fileOf(f.uri) === undefined ? [] : [{ uri: f.uri, file: fileOf(f.uri)! }]))];
        workspace.setFolders(folders.map((f) => f.file));
        settingsCache.clear();
        scheduler.invalidate(openFiles());
      });
    }
  });

  /** onDidChangeContent also fires right after onDidOpen, for the text the open already scheduled. */
  const justOpened = new Set<string>();
  documents.onDidOpen(({ document }) => {
    const file = fileOf(document.uri);
    if (file === undefined) return;
    openUris.set(file, [...(openUris.get(file) ?? []).filter((u) => u !== document.uri), document.uri]);
    justOpened.add(document.uri);
    scheduler.opened(file);
  });
  documents.onDidChangeContent(({ document }) => {
    const file = fileOf(document.uri);
    if (justOpened.delete(document.uri) || file === undefined) return;
    void settingsFor(file).then((s) => {
      if (documents.get(document.uri)?.version === document.version) scheduler.changed(file, s.debounce);
    });
  });
  documents.onDidClose(({ document }) => {
    const file = fileOf(document.uri);
    if (file === undefined) return;
    const uris = (openUris.get(file) ?? []).filter((u) => u !== document.uri);
    if (!pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    if (uris.length > 0) {
      // Still open under another URI, whose buffer is now the file's text.
      openUris.set(file, uris);
      scheduler.changed(file, 0);
      return;
    }
    openUris.delete(file);
    scheduler.closed(file);
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const section = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
    if (section !== undefined) pushedSettings = settingsFrom(section);
    scheduler.invalidate(openFiles());
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    let configChanged = false;
    let diskChanged = false;
    for (const change of changes) {
      const file = fileOf(change.uri);
      if (file === undefined) continue;
      if (ConfigFiles.isConfigFile(file)) configChanged = configs.changed(file) || configChanged;
      if (isTsconfig(file)) configChanged = true;
      const kind = change.type === FileChangeType.Created ? "created" : change.type === FileChangeType.Deleted ? "deleted" : "changed";
      // Saving an open document changes nothing the server does not have already: its text was the editor's (a tsconfig is read from disk).
      if (documents.get(change.uri) !== undefined && kind === "changed" && !isTsconfig(file)) continue;
      workspace.fileChangedOnDisk(file, kind);
      diskChanged = true;
    }
    if (configChanged) publishConfigProblems();
    if (configChanged || diskChanged) scheduler.invalidate(openFiles());
  });

  /** The open file a request is about; a request about any other is an error the client can see. */
  const openFile = (textDocument: TextDocumentIdentifier | undefined): string => {
    const uri = textDocument?.uri;
    if (typeof uri !== "string") throw new ResponseError(ErrorCodes.InvalidParams, "the request names no textDocument.uri");
    const file = fileOf(uri);
    if (file === undefined || documents.get(uri) === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not open in the Async Lens server`);
    return file;
  };

  const fresh = async (file: string, token: CancellationToken): Promise<FileAnalysis> => {
    const result = await scheduler.whenFresh(
      file,
      () => token.isCancellationRequested,
      (listener) => token.onCancellationRequested(listener),
    );
    if (result === undefined) throw new ResponseError(LSPErrorCodes.RequestCancelled, "cancelled: the document changed or closed");
    return result;
  };

  connection.languages.diagnostics.on(async (params, token) => {
    const file = openFile(params.textDocument);
    const result = await fresh(file, token);
    const resultId = `${result.version}:${result.stamp}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnosticsOf(result) };
  });

  connection.onCodeAction(async (params, token) => {
    const file = openFile(params.textDocument);
    const result = await fresh(file, token);
    return codeActions(params, result.findings, result.source);
  });

  connection.onHover(async (params, token) => {
    const file = openFile(params.textDocument);
    return hoverAt((await fresh(file, token)).findings, params.position);
  });

  connection.onExecuteCommand(async (params) => {
    const href = params.arguments?.[0];
    if (params.command !== SHOW_DOCUMENTATION_COMMAND || typeof href !== "string" || !/^https:\/\//.test(href)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown command or arguments: ${params.command}`);
    }
    await connection.window.showDocument({ uri: href, external: true });
  });

  connection.onShutdown(() => workspace.dispose());

  documents.listen(connection);
  connection.listen();
}
