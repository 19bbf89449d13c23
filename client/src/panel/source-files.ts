// Which trace file names the editor can open, shared by the webview (links)
// and the extension (diagnostics): absolute paths and file URLs, not Node's
// internals ("node:fs", "internal/…") or evaluated code.
export function isOpenable(file: string): boolean {
  return file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith("file://");
}
