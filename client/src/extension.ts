// Wires the extension: the output channel, the language client, the status bar
// and the commands. The server runs in its own Node process, spoken to over IPC.
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { registerCommands } from "./commands";
import { TaskInspector } from "./panel/inspector";
import { ShowInInspectorActions } from "./panel/show-in-inspector";
import { createLogChannel } from "./log-channel";
import { ServerStatus } from "./status";

const CLIENT_ID = "asyncLens";
const CLIENT_NAME = "Async Lens";
const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact"];
const DOCUMENTS = LANGUAGES.map((language) => ({ scheme: "file", language }));

/** What activate() returns, for the end-to-end tests and for other extensions. */
export interface AsyncLensApi {
  readonly client: LanguageClient;
  readonly statusText: () => string;
  readonly onDidChangeStatus: vscode.Event<string>;
}

export function activate(context: vscode.ExtensionContext): AsyncLensApi {
  const output = createLogChannel(CLIENT_NAME);
  const status = new ServerStatus();
  const client = createClient(context, output);
  const inspector = new TaskInspector(context, (line) => output.info(line));
  context.subscriptions.push(
    ...inspector.registrations(),
    vscode.languages.registerCodeActionsProvider(DOCUMENTS, new ShowInInspectorActions(), { providedCodeActionKinds: ShowInInspectorActions.kinds }),
    output,
    status,
    client,
    client.onDidChangeState(({ newState }) => status.setState(newState)),
    ...registerCommands({
      "asyncLens.restartServer": () => client.restart(),
      "asyncLens.showOutput": () => output.show(true),
      ...inspector.commands(),
    }),
  );
  // Not awaited: the commands (Show Output above all) must work while the
  // server starts, and when it fails to start the client reports it itself.
  client.start().catch((error: unknown) => output.error("The Async Lens server did not start:", error));
  return { client, statusText: () => status.text, onDidChangeStatus: status.onDidChange };
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  // dist/server.js is the bundled command line; `async-lens lsp --node-ipc` is its server.
  const module = context.asAbsolutePath(path.join("dist", "server.js"));
  const args = ["lsp"];
  const serverOptions: ServerOptions = {
    run: { module, args, transport: TransportKind.ipc },
    debug: { module, args, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6011"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS,
    outputChannel: output,
    // Settings are pulled by the server through workspace/configuration; this
    // only tells it when to pull again.
    synchronize: {
      configurationSection: CLIENT_ID,
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{async-lens.config.json,package.json,tsconfig*.json,jsconfig*.json}"),
    },
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
