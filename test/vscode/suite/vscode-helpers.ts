// Waiting on VS Code's own events (never on time) for the end-to-end tests.
import * as vscode from "vscode";
import { withTimeout } from "../../support/wait";

export const EXTENSION_ID = "async-lens.async-lens";

/** The part of the extension's API (client/src/extension.ts) the tests read. */
export interface AsyncLensApi {
  statusText(): string;
  onDidChangeStatus: vscode.Event<string>;
}

export async function activateAsyncLens(): Promise<AsyncLensApi> {
  const extension = vscode.extensions.getExtension<AsyncLensApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** The language server's diagnostics; with source "async-lens runtime", the last run's runtime findings. */
export function asyncLensDiagnostics(uri: vscode.Uri, source = "async-lens"): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === "object" ? String(code.value) : code === undefined ? undefined : String(code);
}

/** Resolves with the file's Async Lens diagnostics (of `source`) as soon as they satisfy `done`. */
export function waitForDiagnostics(uri: vscode.Uri, done: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30_000, source?: string): Promise<vscode.Diagnostic[]> {
  let listener: vscode.Disposable | undefined;
  const satisfied = new Promise<vscode.Diagnostic[]>((resolve) => {
    const check = () => {
      const diagnostics = asyncLensDiagnostics(uri, source);
      if (!done(diagnostics)) return false;
      resolve(diagnostics);
      return true;
    };
    if (check()) return;
    listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
  });
  return withTimeout(satisfied, timeoutMs, `${what} in ${vscode.workspace.asRelativePath(uri)}`).finally(() => listener?.dispose());
}

/** Resolves with the status bar item's text as soon as `done` accepts it. */
export function waitForStatus(api: AsyncLensApi, done: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  let listener: vscode.Disposable | undefined;
  const satisfied = new Promise<string>((resolve) => {
    const check = (text: string) => done(text) && resolve(text);
    check(api.statusText());
    listener = api.onDidChangeStatus(check);
  });
  return withTimeout(satisfied, timeoutMs, "the status bar").finally(() => listener?.dispose());
}
