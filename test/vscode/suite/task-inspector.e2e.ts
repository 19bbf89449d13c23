// "Run Current File with Async Lens" in a real VS Code: an HTTP server whose
// /report handler reads a file with readFileSync runs under the bundled
// runtime while this test sends it requests; the runtime's finding appears as
// a diagnostic at that line, and the launcher checks the Task Inspector's
// page (its tasks and the block) at a checkpoint.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { withTimeout } from "../../support/wait";
import { checkpoint } from "./checkpoint";
import { activateAsyncLens } from "./vscode-helpers";

const ROOT = path.resolve(__dirname, "../../../..");
const PROGRAM = path.join(ROOT, "test/panel/programs/blocking-server.js");
const RUNTIME_SOURCE = "async-lens runtime";

/** Resolves with the first match of `pattern` in the program's output channel. */
function programOutput(pattern: RegExp): Promise<RegExpExecArray> {
  const isProgramOutput = (d: vscode.TextDocument) => d.uri.scheme === "output" && d.uri.path.includes("Async Lens: Program");
  return new Promise((resolve) => {
    const check = (document: vscode.TextDocument) => {
      const match = isProgramOutput(document) ? pattern.exec(document.getText()) : null;
      if (!match) return false;
      listeners.forEach((l) => l.dispose());
      resolve(match);
      return true;
    };
    const listeners = [vscode.workspace.onDidChangeTextDocument((e) => check(e.document)), vscode.workspace.onDidOpenTextDocument(check)];
    vscode.workspace.textDocuments.some(check);
  });
}

describe("Task Inspector: Run Current File with Async Lens", () => {
  it("runs an HTTP server that blocks, and marks the blocking line with the runtime's finding", async function () {
    this.timeout(180_000);
    await activateAsyncLens();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = path.join(folder, "report-server.js");
    fs.copyFileSync(PROGRAM, file);
    const blockLine = fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes("// BLOCK: readFileSync"));
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);

    const listening = programOutput(/listening (\d+)/);
    await vscode.commands.executeCommand("asyncLens.runCurrentFile");
    const port = Number((await withTimeout(listening, 60_000, "the server to listen"))[1]);
    const get = (url: string) => fetch(`http://127.0.0.1:${port}${url}`).then((r) => r.text());

    const finding = () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === RUNTIME_SOURCE && d.range.start.line === blockLine);
    // Requests in rounds until the finding counts two blocks.
    for (let round = 0; !/, ([2-9]|\d\d+) times, in the last run/.test(finding()?.message ?? ""); round++) {
      if (round > 300) assert.fail(`no runtime finding at line ${blockLine + 1}: ${JSON.stringify(vscode.languages.getDiagnostics(document.uri).map((d) => d.message))}`);
      await Promise.all([get("/item/a"), get("/item/b"), get("/report")]);
    }
    assert.match(finding()!.message, /^Blocked the event loop \d+ ms, \d+ times, in the last run \(\d+ ms in all\)\.$/);
    assert.equal(finding()!.code, "block");

    const page = (await checkpoint("task-inspector")) as { reportRows: number; blockLinks: string[] } | undefined;
    if (page) {
      assert.ok(page.reportRows > 0, "no GET /report task in the panel");
      assert.ok(page.blockLinks.includes(`report-server.js:${blockLine + 1}`), JSON.stringify(page.blockLinks));
    }

    const exited = programOutput(/report-server\.js exited with code 0/);
    await get("/quit");
    await withTimeout(exited, 30_000, "the server to exit");
  });
});
