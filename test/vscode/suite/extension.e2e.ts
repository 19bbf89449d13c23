// What the extension itself brings to the workbench, whatever the server does.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateAsyncLens } from "./vscode-helpers";

describe("the Async Lens extension", () => {
  it("registers its commands and the output channel's language", async () => {
    await activateAsyncLens();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ["asyncLens.restartServer", "asyncLens.showOutput"]) assert.ok(commands.includes(id), id);
    assert.ok((await vscode.languages.getLanguages()).includes("async-lens-output"));
  });

  it("shows its output channel, in its own language, on Show Output", async () => {
    await activateAsyncLens();
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      const listener = vscode.workspace.onDidOpenTextDocument((document) => {
        if (document.uri.scheme !== "output" || !document.uri.path.includes("Async Lens")) return;
        listener.dispose();
        resolve(document);
      });
    });
    await vscode.commands.executeCommand("asyncLens.showOutput");
    const output = vscode.workspace.textDocuments.find((d) => d.uri.scheme === "output" && d.uri.path.includes("Async Lens")) ?? (await opened);
    assert.equal(output.languageId, "async-lens-output");
  });
});
