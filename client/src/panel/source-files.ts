// Trace file names, shared by the webview (links, the site filter) and the
// extension (diagnostics). The editor can open absolute paths and file URLs,
// not Node's internals ("node:fs", "internal/…") or evaluated code.
export function isOpenable(file: string): boolean {
  return file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith("file://");
}

/**
 * A trace names a file by path (CommonJS) or by file URL (ES modules); the
 * editor by path. One spelling of either, to compare them.
 */
export function filePath(file: string): string {
  if (!file.startsWith("file://")) return file.replaceAll("\\", "/");
  try {
    return decodeURIComponent(new URL(file).pathname).replace(/^\/([A-Za-z]:)/, "$1");
  } catch {
    return file;
  }
}
