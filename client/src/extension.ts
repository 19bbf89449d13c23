// Wires the extension: the output channel, the language client, the status bar
// and the commands. The server is the bundled dist/server.js beside this file,
// started over Node IPC in its own process.
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { registerCommands } from "./commands";
import { createLogChannel } from "./log-channel";
import { ServerStatus } from "./status";

const CLIENT_ID = "asyncLens";
const CLIENT_NAME = "Async Lens";
const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact"];

/** What activate() returns, for the end-to-end tests and for other extensions. */
export interface AsyncLensApi {
  readonly client: LanguageClient;
  readonly statusText: () => string;
}

export async function activate(context: vscode.ExtensionContext): Promise<AsyncLensApi> {
  const output = createLogChannel(CLIENT_NAME);
  const status = new ServerStatus();
  const client = createClient(context, output);
  context.subscriptions.push(
    output,
    status,
    client,
    client.onDidChangeState(({ newState }) => status.setState(newState)),
    ...registerCommands({
      "asyncLens.restartServer": () => client.restart(),
      "asyncLens.showOutput": () => output.show(true),
    }),
  );
  await client.start();
  return { client, statusText: () => status.text };
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join("dist", "server.js"));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6011"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: "file", language })),
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
