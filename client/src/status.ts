// The status bar item: whether the server runs, how many findings the open
// files have, and a click that shows the output.
import * as vscode from "vscode";
import { State } from "vscode-languageclient/node";
import { COMMANDS, type CommandId } from "./contributions";

export const DIAGNOSTIC_SOURCE = "async-lens";

const STATE_VIEW: Record<State, { icon: string; label: string }> = {
  [State.Starting]: { icon: "$(loading~spin)", label: "starting" },
  [State.Running]: { icon: "$(pulse)", label: "running" },
  [State.Stopped]: { icon: "$(circle-slash)", label: "stopped" },
  [State.StartFailed]: { icon: "$(error)", label: "failed to start" },
};

const TOOLTIP_COMMANDS: readonly CommandId[] = ["asyncLens.showOutput", "asyncLens.restartServer"];

export class ServerStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("asyncLens.status", vscode.StatusBarAlignment.Right, 100);
  private readonly diagnosticsListener: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the new text whenever the item changes. */
  readonly onDidChange = this.changed.event;
  private state = State.Stopped;
  private findings = 0;

  constructor() {
    this.item.name = "Async Lens";
    this.item.command = "asyncLens.showOutput" satisfies CommandId;
    this.diagnosticsListener = vscode.languages.onDidChangeDiagnostics(() => this.countFindings());
    this.countFindings();
    this.item.show();
  }

  setState(state: State): void {
    this.state = state;
    this.render();
  }

  /** What the item shows, for tests that read it back. */
  get text(): string {
    return this.item.text;
  }

  private countFindings(): void {
    let count = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) if (diagnostic.source === DIAGNOSTIC_SOURCE) count++;
    }
    this.findings = count;
    this.render();
  }

  private render(): void {
    const view = STATE_VIEW[this.state];
    this.item.text = `${view.icon} Async Lens: ${this.findings}`;
    this.item.backgroundColor =
      this.state === State.StartFailed ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    const links = TOOLTIP_COMMANDS.map((id) => `[${COMMANDS.find((command) => command.id === id)?.title}](command:${id})`);
    const tooltip = new vscode.MarkdownString(
      `**Async Lens** — server ${view.label}\n\n` +
        `${this.findings} ${this.findings === 1 ? "finding" : "findings"} in open files\n\n` +
        links.join(" · "),
    );
    tooltip.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
    this.item.tooltip = tooltip;
    this.changed.fire(this.item.text);
  }

  dispose(): void {
    this.diagnosticsListener.dispose();
    this.changed.dispose();
    this.item.dispose();
  }
}
