// What the extension contributes to package.json, declared once. It imports
// nothing from vscode so that a plain Node test can generate and check
// package.json's `contributes` from it; commands.ts gives every command here
// its handler, and the compiler refuses a command without one.

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
  { id: "asyncLens.showTaskInspector", title: "Show Task Inspector", requiresTrust: false },
  { id: "asyncLens.runCurrentFile", title: "Run Current File with Async Lens", requiresTrust: true },
  { id: "asyncLens.attachToProcess", title: "Attach to Process…", requiresTrust: false },
  { id: "asyncLens.openTraceFile", title: "Open Trace File…", requiresTrust: false },
  { id: "asyncLens.saveTrace", title: "Save Trace…", requiresTrust: false },
  { id: "asyncLens.showInTaskInspector", title: "Show in Task Inspector", requiresTrust: false },
  { id: "asyncLens.clearRuntimeFindings", title: "Clear Runtime Findings", requiresTrust: false },
] as const satisfies readonly CommandDeclaration[];

export type CommandId = (typeof COMMANDS)[number]["id"];

/** The output channel's language, coloured by syntaxes/async-lens-output.tmLanguage.json. */
export const OUTPUT_LANGUAGE_ID = "async-lens-output";
