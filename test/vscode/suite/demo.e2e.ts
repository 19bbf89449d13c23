// The extension and its language server on the demo workspace, through VS
// Code's own API: the diagnostics VS Code holds, its hover and code action
// providers, its settings, and (under code-server) the rendered workbench.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as vscode from "vscode";
import type { JsonReport } from "../../../server/src/cli/format-json";
import { checkpoint } from "./checkpoint";
import { activateAsyncLens, asyncLensDiagnostics, ruleOf, waitForDiagnostics, waitForStatus, type AsyncLensApi } from "./vscode-helpers";

const CLI = path.resolve(__dirname, "../../../server/src/cli/main.js");

/** "rule 10:20-10:80", 1-based like the command line's JSON. */
function key(rule: string | undefined, range: vscode.Range): string {
  return `${rule} ${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}

describe("Async Lens on examples/demo in VS Code", () => {
  let api: AsyncLensApi;
  let folder: vscode.Uri;
  const report = () => vscode.Uri.joinPath(folder, "src/routes/report.ts");

  before(async () => {
    api = await activateAsyncLens();
    const [first] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(first, "the tests open the demo folder");
    folder = first.uri;
  });

  it("shows in each file exactly the findings the command line reports, with their ranges, codes and links", async () => {
    // The command line is the reference: the same core, run once over the folder.
    // Under desktop VS Code process.execPath is Electron, which runs as Node with this variable.
    const cli = spawnSync(process.execPath, [CLI, "check", ".", "--format", "json"], {
      cwd: folder.fsPath,
      encoding: "utf8",
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
    });
    assert.equal(cli.status, 1, `async-lens check found nothing or failed:\n${cli.stdout}${cli.stderr}`);
    const expected = new Map<string, string[]>();
    for (const d of (JSON.parse(cli.stdout) as JsonReport).diagnostics) {
      const list = expected.get(d.file) ?? [];
      list.push(`${d.rule} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
      expected.set(d.file, list);
    }
    assert.ok(expected.size >= 8, `the demo has a finding in most files (${expected.size})`);
    for (const [file, keys] of expected) {
      const uri = vscode.Uri.joinPath(folder, file);
      await vscode.window.showTextDocument(uri, { preview: false });
      const want = [...keys].sort();
      const got = await waitForDiagnostics(uri, (ds) => ds.map((d) => key(ruleOf(d), d.range)).sort().join() === want.join(), `${want.join(", ")}`);
      for (const d of got) {
        const code = d.code as { value: string; target: vscode.Uri };
        assert.match(code.target.toString(), new RegExp(`${code.value}`), `${file}: ${code.value} links to its documentation`);
        assert.ok(d.message.length > 20, `${file}: a message that explains (${d.message})`);
      }
    }
    const [blocking] = asyncLensDiagnostics(report());
    assert.equal(ruleOf(blocking), "blocking-call");
    assert.deepEqual([blocking.range.start.line, blocking.range.start.character, blocking.range.end.line, blocking.range.end.character], [9, 19, 9, 79]);
    assert.equal(blocking.severity, vscode.DiagnosticSeverity.Warning);
  });

  it("counts the findings in the status bar", async () => {
    const total = () => vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((d) => d.source === "async-lens").length, 0);
    const text = await waitForStatus(api, (t) => t.endsWith(`Async Lens: ${total()}`) && t.startsWith("$(pulse)"));
    assert.ok(total() >= 10, text);
  });

  it("explains a finding on hover, with a link to the rule's page", async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", report(), new vscode.Position(9, 25));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(text, /Async Lens: blocking-call/);
    assert.match(text, /readFileSync/);
    assert.match(text, /\[Rule documentation\]\(https:\/\/[^)]*blocking-call/);
  });

  it("shows the diagnostics and the hover in the editor", async () => {
    // The chat side bar a fresh VS Code opens would take a third of the picture.
    await vscode.commands.executeCommand("workbench.action.closeAuxiliaryBar");
    const editor = await vscode.window.showTextDocument(report(), { preview: false });
    const position = new vscode.Position(9, 25);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand("editor.action.showHover");
    // Under code-server the launcher waits for the hover to render, saves the
    // screenshot and answers with the status bar's text as the page shows it.
    const shown = (await checkpoint("editor-with-hover")) as { statusBar: string } | undefined;
    if (shown) assert.match(shown.statusBar, /Async Lens: \d+/);
    // Then it clicks the status bar item, which must bring the closed output back.
    await vscode.commands.executeCommand("workbench.action.closePanel");
    const clicked = (await checkpoint("click-status-bar")) as { output: string } | undefined;
    if (clicked) assert.match(clicked.output, /\[info +[\d:.]+\] /);
  });

  it("applies the preferred quick fix, and its finding goes away", async () => {
    const uri = report();
    const [blocking] = asyncLensDiagnostics(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, blocking.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes("Ignore blocking-call on this line"), titles.join(" | "));
    assert.ok(titles.includes("Show documentation for blocking-call"), titles.join(" | "));
    const preferred = actions.filter((a) => a.isPreferred);
    assert.deepEqual(preferred.map((a) => a.title), ["Use `await readFile` instead of `readFileSync`"]);
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    try {
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
      // The same text `async-lens check --fix` writes: the call awaited, its import added.
      const fixed = before
        .replace('import * as path from "node:path";\n', 'import * as path from "node:path";\nimport { readFile } from "node:fs/promises";\n')
        .replace("fs.readFileSync(path.join", "await readFile(path.join");
      assert.equal(document.getText(), fixed);
      await waitForDiagnostics(uri, (ds) => !ds.some((d) => ruleOf(d) === "blocking-call"), "the fixed call to lose its finding");
    } finally {
      // Put the text back and save it, which leaves the file as it was on disk.
      const undo = new vscode.WorkspaceEdit();
      undo.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), before);
      await vscode.workspace.applyEdit(undo);
      await document.save();
    }
    assert.equal(document.getText(), before);
    await waitForDiagnostics(uri, (ds) => ds.some((d) => ruleOf(d) === "blocking-call"), "the restored call to be flagged again");
  });

  it("turns a rule off when the setting says so, live, and back on", async () => {
    const config = () => vscode.workspace.getConfiguration("asyncLens", folder);
    const health = vscode.Uri.joinPath(folder, "src/routes/health.ts");
    const tap = vscode.Uri.joinPath(folder, "src/events/tap.ts");
    await config().update("rules", { "blocking-call": "off" }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(report(), (ds) => ds.length === 0, "blocking-call to be turned off");
      await waitForDiagnostics(health, (ds) => ds.length === 0, "blocking-call to be turned off");
      assert.deepEqual(asyncLensDiagnostics(tap).map(ruleOf), ["unbounded-queue"], "the other rules stay on");
    } finally {
      await config().update("rules", undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(report(), (ds) => ds.some((d) => ruleOf(d) === "blocking-call"), "blocking-call to be back");
  });
});
