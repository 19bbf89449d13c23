// The output channel carries its own language id, so syntaxes/async-lens-output
// can colour it; VS Code's log channels are fixed to the "log" language. The
// language client wants a LogOutputChannel, so this one writes log-shaped lines
// ("[info  12:03:04.512] message") into a plain channel and honours VS Code's
// log level the way a log channel would.
import * as vscode from "vscode";
import { formatWithOptions } from "node:util";
import { OUTPUT_LANGUAGE_ID } from "./contributions";

const LEVEL_NAMES: Partial<Record<vscode.LogLevel, string>> = {
  [vscode.LogLevel.Trace]: "trace",
  [vscode.LogLevel.Debug]: "debug",
  [vscode.LogLevel.Info]: "info",
  [vscode.LogLevel.Warning]: "warn",
  [vscode.LogLevel.Error]: "error",
};

export function createLogChannel(name: string): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel(name, OUTPUT_LANGUAGE_ID);
  const write = (level: vscode.LogLevel, message: string | Error, args: unknown[]): void => {
    if (vscode.env.logLevel === vscode.LogLevel.Off || level < vscode.env.logLevel) return;
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    const time = new Date().toISOString().slice(11, 23);
    channel.appendLine(`[${(LEVEL_NAMES[level] ?? "info").padEnd(5)} ${time}] ${formatWithOptions({ colors: false }, text, ...args)}`);
  };
  return {
    name: channel.name,
    get logLevel() {
      return vscode.env.logLevel;
    },
    onDidChangeLogLevel: vscode.env.onDidChangeLogLevel,
    append: (value) => channel.append(value),
    appendLine: (value) => channel.appendLine(value),
    replace: (value) => channel.replace(value),
    clear: () => channel.clear(),
    show: (columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof columnOrPreserve === "boolean" ? channel.show(columnOrPreserve) : channel.show(columnOrPreserve, preserveFocus),
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
    trace: (message, ...args) => write(vscode.LogLevel.Trace, message, args),
    debug: (message, ...args) => write(vscode.LogLevel.Debug, message, args),
    info: (message, ...args) => write(vscode.LogLevel.Info, message, args),
    warn: (message, ...args) => write(vscode.LogLevel.Warning, message, args),
    error: (message, ...args) => write(vscode.LogLevel.Error, message, args),
  };
}
