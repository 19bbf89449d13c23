// The Task Inspector as a webview view: serves the page from dist/webview,
// validates what the page posts, and queues messages for it until it says it
// is ready (a view is created only when first shown, and again after VS Code
// disposes a hidden one).
import * as vscode from "vscode";
import { WEBVIEW_FILES, panelHtml } from "./html";
import { parseFromWebview, type FromWebview, type ToWebview } from "./messages";

export const VIEW_ID = "asyncLens.taskInspector";
/** Messages kept for a page that is not up yet: a session and its most recent batches. */
const MAX_QUEUED = 2_000;

export class TaskInspectorView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private queued: ToWebview[] = [];
  private readonly listeners: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (message: FromWebview) => void,
    private readonly log: (line: string) => void,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const root = vscode.Uri.joinPath(this.extensionUri, "dist", "webview");
    view.webview.options = { enableScripts: true, localResourceRoots: [root] };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(root, WEBVIEW_FILES.script)).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(root, WEBVIEW_FILES.style)).toString(),
    });
    this.listeners.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parseFromWebview(raw);
        if (!parsed.ok) return this.log(`Task Inspector: refused a message from the panel: ${parsed.error}`);
        if (parsed.value.type === "ready") this.flushQueue();
        else this.onMessage(parsed.value);
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** Opens the view (its container first) and gives it focus. */
  async show(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  post(message: ToWebview): PromiseLike<unknown> {
    if (message.type === "session") this.queued = [];
    if (this.view && this.ready) return this.view.webview.postMessage(message);
    this.queued.push(message);
    if (this.queued.length > MAX_QUEUED) this.queued.splice(1, this.queued.length - MAX_QUEUED);
    return Promise.resolve(false);
  }

  private flushQueue(): void {
    this.ready = true;
    const queued = this.queued;
    this.queued = [];
    for (const message of queued) void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
  }
}
