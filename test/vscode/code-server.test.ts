// The extension, bundled as the .vsix ships it, in a real VS Code (code-server
// with headless Chromium): the test module in suite/ runs in its extension
// host, and this side answers its checkpoints by looking at the page.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { lookAtSession, lookAtSiteFilter, lookAtTaskInspector } from "../panel/workbench";
import { runInCodeServer } from "./code-server";
import { ensureInstalled, type VsCodeInstall } from "./install";
import { ROOT, TESTS_PATH, prepareExtensionAndWorkspace } from "./prepare";

const SCREENSHOT = path.join(ROOT, "out", "screenshots", "editor-with-hover.png");

describe("the extension in a real VS Code (code-server, headless Chromium)", () => {
  let install: VsCodeInstall;
  let workspace: string;

  before(function () {
    // The first run installs code-server and Node 24 into ~/.cache/async-lens (minutes); later runs take seconds.
    this.timeout(30 * 60_000);
    install = ensureInstalled((line) => console.log(`      ${line}`));
    workspace = prepareExtensionAndWorkspace();
    fs.rmSync(SCREENSHOT, { force: true });
  });

  it("passes the extension's tests in its extension host", async function () {
    this.timeout(5 * 60_000);
    const logs: string[] = [];
    const code = await runInCodeServer({
      install,
      workspace,
      extensionPath: ROOT,
      testsPath: TESTS_PATH,
      log: (line) => logs.push(line),
      timeoutMs: 4 * 60_000,
      onCheckpoint: async (name, page) => {
        if (name === "task-inspector-site") return lookAtSiteFilter(page);
        if (name === "task-inspector-replay") return lookAtSession(page, "replay-server.alens", path.join(ROOT, "out", "screenshots", "vscode-task-inspector-replay.png"));
        if (name === "task-inspector-attach") return lookAtSession(page, "process ", path.join(ROOT, "out", "screenshots", "vscode-task-inspector-attach.png"));
        if (name === "task-inspector") return lookAtTaskInspector(page, path.join(ROOT, "out", "screenshots", "vscode-task-inspector.png"));
        const statusItem = page.locator(".statusbar-item", { hasText: "Async Lens:" }).first();
        if (name === "editor-with-hover") {
          await page.locator(".monaco-hover-content", { hasText: "blocking-call" }).first().waitFor({ state: "visible", timeout: 20_000 });
          await page.locator(".squiggly-warning").first().waitFor({ state: "visible", timeout: 20_000 });
          const statusBar = await statusItem.innerText({ timeout: 20_000 });
          fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
          await page.screenshot({ path: SCREENSHOT });
          return { statusBar };
        }
        assert.equal(name, "click-status-bar", `unknown checkpoint ${name}`);
        const panel = page.locator(".part.panel");
        await panel.waitFor({ state: "hidden", timeout: 20_000 });
        await statusItem.click({ timeout: 20_000 });
        const output = panel.locator(".view-lines", { hasText: "[info" }).first();
        await output.waitFor({ state: "visible", timeout: 20_000 });
        // Monaco renders spaces as no-break spaces.
        return { output: ((await output.textContent()) ?? "").replace(/\u00a0/g, " ") };
      },
    });
    assert.equal(code, 0, `the extension host reported failures:\n${logs.join("\n")}`);
    assert.ok(fs.existsSync(SCREENSHOT), "the screenshot was taken");
  });
});
