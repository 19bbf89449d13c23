// "Show in Task Inspector" on the language server's diagnostics: a code
// action whose command opens the panel filtered to the diagnostic's line.
import * as vscode from "vscode";
import type { CommandId } from "../contributions";
import { siteActions } from "./site-actions";

const SHOW_IN_INSPECTOR_COMMAND: CommandId = "asyncLens.showInTaskInspector";

export class ShowInInspectorActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (document.uri.scheme !== "file") return [];
    return siteActions(document.uri.fsPath, context.diagnostics).map((site) => {
      const action = new vscode.CodeAction(site.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = site.diagnostics;
      action.command = { command: SHOW_IN_INSPECTOR_COMMAND, title: site.title, arguments: [site.file, site.line] };
      return action;
    });
  }
}
