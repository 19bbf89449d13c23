// `async-lens lsp --stdio | --node-ipc`: the language server, over standard
// input and output (any editor) or Node's IPC channel (the VS Code client
// forks the server and talks to it that way).
import { createConnection, IPCMessageReader, IPCMessageWriter } from "vscode-languageserver/node";
import { startServer } from "../lsp/server";

export const LSP_USAGE = `Usage: async-lens lsp --stdio | --node-ipc [--clientProcessId PID]

Runs the Async Lens language server, speaking LSP over standard input and
output (--stdio) or over the Node IPC channel of a parent process (--node-ipc).
With --clientProcessId it exits when that process (the editor) is gone.`;

/** Usage errors resolve at once with exit code 2; a running server never resolves (see below). */
export function runLsp(argv: string[]): Promise<number> {
  // Language clients add `--clientProcessId N` (vscode-languageserver reads it itself, to exit with its editor).
  const transport = argv.filter((a, i) => a !== "--" && !a.startsWith("--clientProcessId") && argv[i - 1] !== "--clientProcessId");
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
  // Given the streams themselves, vscode-languageserver ends the process when standard input closes (the editor is gone).
  const connection = stdio ? createConnection(process.stdin, process.stdout) : createConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  // The IPC channel closes when the parent (the editor's extension host) is gone.
  if (ipc) process.on("disconnect", () => process.exit(1));
  startServer(connection);
  // The server runs until the client sends `exit`; vscode-languageserver then
  // ends the process itself (code 0 after a shutdown request, 1 without, as
  // LSP asks).
  return new Promise<number>(() => undefined);
}
