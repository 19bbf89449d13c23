// What both VS Code runners (code-server.test.ts, run-desktop.ts) set up: the
// extension bundled as the .vsix ships it, and a fresh copy of the demo.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../../..");
export const TESTS_PATH = path.join(ROOT, "out", "test", "vscode", "suite", "index.js");

/** Bundles the extension and returns the workspace folder to open. */
export function prepareExtensionAndWorkspace(): string {
  const bundle = spawnSync(process.execPath, [path.join(ROOT, "client/scripts/bundle.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`bundling failed:\n${bundle.stdout}${bundle.stderr}`);
  // A copy, so the settings the tests write never touch examples/demo; inside
  // the repository, so the demo's types resolve from its node_modules as usual.
  const workspace = path.join(ROOT, "out", "vscode-workspace", "demo");
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, "examples", "demo"), workspace, { recursive: true });
  return workspace;
}
