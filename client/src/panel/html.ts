// The Task Inspector's HTML page. Pure (no vscode import) so the browser tests
// load exactly the page the extension serves. Scripts run only with the
// page's nonce, styles and fonts come only from the extension's own files, and
// nothing else may load: trace text can never become script or markup.
import { randomBytes } from "node:crypto";

/** Files of the webview bundle, relative to its output folder. */
export const WEBVIEW_FILES = { script: "panel.js", style: "panel.css" };

export interface PageResources {
  /** The webview's `cspSource`: the origin its local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function panelHtml({ cspSource, scriptUri, styleUri, nonce = newNonce() }: PageResources): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(styleUri)}">
<title>Task Inspector</title>
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>`;
}
