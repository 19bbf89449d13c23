// `async-lens lsp --stdio | --node-ipc`: the language server, over standard
// input and output (any editor) or Node's IPC channel (the VS Code client
// forks the server and talks to it that way).
import { createConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { startServer } from "../lsp/server";

export const LSP_USAGE = `Usage: async-lens lsp --stdio | --node-ipc

Runs the Async Lens language server, speaking LSP over standard input and
output (--stdio) or over the Node IPC channel of a parent process (--node-ipc).`;

/** Usage errors resolve at once with exit code 2; a running server never resolves (see below). */
export function runLsp(argv: string[]): Promise<number> {
  // vscode-languageclient appends --clientProcessId=N to every server it
  // starts; vscode-languageserver reads it from process.argv itself, to end the
  // server when the editor dies.
  const transport = argv.filter((a) => a !== "--" && !a.startsWith("--clientProcessId="));
  if (transport.length === 1 && (transport[0] === "--help" || transport[0] === "-h")) {
    process.stdout.write(`${LSP_USAGE}\n`);
    return Promise.resolve(0);
  }
  const stdio = transport.length === 1 && transport[0] === "--stdio";
  const ipc = transport.length === 1 && transport[0] === "--node-ipc" && typeof process.send === "function";
  if (!stdio && !ipc) {
    const why = transport[0] === "--node-ipc" ? "--node-ipc needs a parent process with an IPC channel (child_process.fork)" : `expected exactly one of --stdio, --node-ipc; got ${transport.length === 0 ? "none" : transport.join(" ")}`;
    process.stderr.write(`async-lens lsp: ${why}\n${LSP_USAGE}\n`);
    return Promise.resolve(2);
  }
  const connection = stdio
    ? createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout))
    : createConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  startServer(connection);
  // The server runs until the client sends `exit`; vscode-languageserver then
  // ends the process itself (code 0 after a shutdown request, 1 without, as
  // LSP asks) and on its own when the client process named at initialize dies.
  return new Promise<number>(() => undefined);
}
