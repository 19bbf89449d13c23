// Registers every command of contributions.ts. A new command is one line there
// and one handler here; the Record type makes a missing handler a compile error.
import * as vscode from "vscode";
import { COMMANDS, type CommandId } from "./contributions";

export type CommandHandler = (...args: unknown[]) => unknown;

export function registerCommands(handlers: Record<CommandId, CommandHandler>): vscode.Disposable[] {
  return COMMANDS.map((command) =>
    vscode.commands.registerCommand(command.id, (...args: unknown[]) => {
      if (command.requiresTrust && !vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(
          `Async Lens: "${command.title}" runs code from this workspace, so it waits until you trust the workspace.`,
        );
        return undefined;
      }
      return handlers[command.id](...args);
    }),
  );
}
