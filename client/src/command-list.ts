// The extension's commands, declared once. It imports nothing from vscode so
// that a plain Node test can check package.json's contributes.commands against
// it; commands.ts gives every id here its handler, and the compiler refuses an
// id without one.

export interface CommandDeclaration {
  readonly id: string;
  readonly title: string;
  /** Commands that could run workspace code stay disabled until the workspace is trusted. */
  readonly requiresTrust: boolean;
}

export const COMMAND_CATEGORY = "Async Lens";

export const COMMANDS = [
  { id: "asyncLens.restartServer", title: "Restart Server", requiresTrust: false },
  { id: "asyncLens.showOutput", title: "Show Output", requiresTrust: false },
] as const satisfies readonly CommandDeclaration[];

export type CommandId = (typeof COMMANDS)[number]["id"];
