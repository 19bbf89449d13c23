// "Run Current File with Async Lens" in a real VS Code: an HTTP server whose
// /report handler reads a file with readFileSync runs under the bundled
// runtime while this test sends it requests; the runtime's finding appears as
// a diagnostic at that line, and the launcher checks the Task Inspector's
// page (its tasks and the block) at a checkpoint. The language server's own
// diagnostic there offers "Show in Task Inspector"; a new run and "Clear
// Runtime Findings" remove the runtime's. A trace recorded from the same
// server with ASYNC_LENS_TRACE replays through "Open Trace File…" given its Uri
// (as the explorer's context menu does), with the same tasks, block and finding.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import * as vscode from "vscode";
import { loadTrace } from "../../../runtime/src/trace-reader";
import { waitForFile, withTimeout } from "../../support/wait";
import { checkpoint } from "./checkpoint";
import { EXTENSION_ID, activateAsyncLens, waitForDiagnostics } from "./vscode-helpers";

const ROOT = path.resolve(__dirname, "../../../..");
const PROGRAM = path.join(ROOT, "test/panel/programs/blocking-server.js");
const TS_PROGRAM = path.join(ROOT, "test/runtime/programs/ts-app/app.ts");
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

/** The example server run outside the editor with the bundled runtime and `env`, once it listens. */
async function startServer(file: string, env: Record<string, string>) {
  const register = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, "dist", "runtime", "register.js");
  const server = spawn("node", ["--import", pathToFileURL(register).href, file], {
    cwd: path.dirname(file),
    env: { ...process.env, ASYNC_LENS_SAMPLE: "1", ASYNC_LENS_SAMPLE_MAX: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    waiters.forEach((w) => w());
  };
  server.stdout.on("data", collect);
  server.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) => server.on("exit", resolve));
  /** The first match of `pattern` in its stdout and stderr so far or to come; rejects if it exits first. */
  const output = (pattern: RegExp, what: string) =>
    withTimeout(
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            waiters.delete(check);
            resolve(match);
          }
        };
        waiters.add(check);
        check();
        void exited.then((code) => reject(new Error(`the server exited with code ${code} before ${what}:\n${text}`)));
      }),
      60_000,
      what,
    );
  const port = Number((await output(/listening (\d+)/, "it listened"))[1]);
  return {
    pid: server.pid!,
    output,
    get: (url: string) => fetch(`http://127.0.0.1:${port}${url}`).then((r) => r.text()),
    /** Asks it to quit and resolves once it exited with code 0. */
    quit: async () => {
      await fetch(`http://127.0.0.1:${port}/quit`).then((r) => r.text());
      assert.equal(await withTimeout(exited, 30_000, "the server to exit"), 0, text);
    },
  };
}

/** A fresh copy of the example server in the workspace, and the line of its blocking call (0-based). */
function copyServer(name: string): { file: string; blockLine: number } {
  const file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, name);
  fs.copyFileSync(PROGRAM, file);
  return { file, blockLine: fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes("// BLOCK: readFileSync")) };
}

describe("Task Inspector: Run Current File with Async Lens", () => {
  it("runs an HTTP server that blocks, marks the blocking line with the runtime's finding, shows a flagged line in the panel, and clears the findings on a new run or the command", async function () {
    this.timeout(180_000);
    await activateAsyncLens();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = path.join(folder, "report-server.js");
    fs.copyFileSync(PROGRAM, file);
    const blockLine = fs.readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes("// BLOCK: readFileSync"));
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);

    const startRun = async () => {
      // Not the last run's line: the channel is cleared for a new run, but its document may lag.
      const listening = programOutput(/listening (\d+)\n(?![\s\S]*\bexited\b)/);
      await vscode.commands.executeCommand("asyncLens.runCurrentFile");
      const port = Number((await withTimeout(listening, 60_000, "the server to listen"))[1]);
      return (url: string) => fetch(`http://127.0.0.1:${port}${url}`).then((r) => r.text());
    };
    const finding = () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === RUNTIME_SOURCE && d.range.start.line === blockLine);
    // Requests in rounds until the finding counts two blocks.
    const blockTwice = async (get: (url: string) => Promise<string>) => {
      for (let round = 0; !/, ([2-9]|\d\d+) times, in the last run/.test(finding()?.message ?? ""); round++) {
        if (round > 300) assert.fail(`no runtime finding at line ${blockLine + 1}: ${JSON.stringify(vscode.languages.getDiagnostics(document.uri).map((d) => d.message))}`);
        await Promise.all([get("/item/a"), get("/item/b"), get("/report")]);
      }
    };
    const quit = async (get: (url: string) => Promise<string>) => {
      const exited = programOutput(/report-server\.js exited with code 0/);
      await get("/quit");
      await withTimeout(exited, 30_000, "the server to exit");
    };

    let get = await startRun();
    await blockTwice(get);
    assert.match(finding()!.message, /^Blocked the event loop \d+ ms, \d+ times, in the last run \(\d+ ms in all\)\.$/);
    assert.equal(finding()!.code, "block");

    const page = (await checkpoint("task-inspector")) as { reportRows: number; blockLinks: string[] } | undefined;
    if (page) {
      assert.ok(page.reportRows > 0, "no GET /report task in the panel");
      assert.ok(page.blockLinks.includes(`report-server.js:${blockLine + 1}`), JSON.stringify(page.blockLinks));
    }

    // The language server's diagnostic of the call that reaches readFileSync offers the panel filtered to its line.
    const reachesReadFileSync = (d: vscode.Diagnostic) => d.message.startsWith("`readReport` blocks the event loop");
    const flagged = (await waitForDiagnostics(document.uri, (ds) => ds.some(reachesReadFileSync), "the static diagnostic of readReport()")).find(reachesReadFileSync)!;
    const flaggedLine = flagged.range.start.line + 1;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", document.uri, flagged.range);
    const show = actions.find((a) => a.title === `Show in Task Inspector (line ${flaggedLine})`);
    assert.ok(show?.command, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(show.command.arguments, [document.uri.fsPath, flaggedLine]);
    await vscode.commands.executeCommand(show.command.command, ...show.command.arguments);
    // The blocking call's line creates no task: the rows are the requests that blocked with it on the stack.
    const filtered = (await checkpoint("task-inspector-site")) as { chip: string; rows: number } | undefined;
    if (filtered) {
      assert.match(filtered.chip, new RegExp(`^at report-server\\.js:${flaggedLine}$`));
      assert.ok(filtered.rows > 0, "no task blocked at the flagged line");
    }

    // The findings outlive the run, until a new run starts...
    await quit(get);
    assert.ok(finding(), "the finding went with the run");
    get = await startRun();
    await waitForDiagnostics(document.uri, (d) => d.length === 0, "the new run to clear the last run's findings", 30_000, RUNTIME_SOURCE);
    // ...or the command clears them.
    await blockTwice(get);
    await vscode.commands.executeCommand("asyncLens.clearRuntimeFindings");
    await waitForDiagnostics(document.uri, (d) => d.length === 0, "Clear Runtime Findings to clear them", 30_000, RUNTIME_SOURCE);
    await quit(get);
  });

  it("replays a trace recorded from the server with ASYNC_LENS_TRACE, opened by Open Trace File… with its Uri", async function () {
    this.timeout(120_000);
    await activateAsyncLens();
    const { file, blockLine } = copyServer("replay-server.js");
    const trace = path.join(path.dirname(file), "replay-server.alens");
    // The runtime appends to a trace file.
    fs.rmSync(trace, { force: true });
    const server = await startServer(file, { ASYNC_LENS_TRACE: trace });
    await Promise.all([server.get("/item/a"), server.get("/item/b"), server.get("/report")]);
    await server.quit();

    await vscode.commands.executeCommand("asyncLens.openTraceFile", vscode.Uri.file(trace));
    const atBlock = (d: vscode.Diagnostic) => d.range.start.line === blockLine;
    const finding = (await waitForDiagnostics(vscode.Uri.file(file), (d) => d.some(atBlock), `the replay's finding at replay-server.js:${blockLine + 1}`, 30_000, RUNTIME_SOURCE)).find(atBlock)!;
    assert.match(finding.message, /^Blocked the event loop \d+ ms, 1 time, in the last run/);
    const page = (await checkpoint("task-inspector-replay")) as { reportRows: number; blockLinks: string[] } | undefined;
    if (page) {
      assert.ok(page.reportRows > 0, "no GET /report task in the replay");
      assert.ok(page.blockLinks.includes(`replay-server.js:${blockLine + 1}`), JSON.stringify(page.blockLinks));
    }
  });

  it("attaches to a server started with ASYNC_LENS_LISTEN, given its pid, and shows its live tasks and block; a token file with a wrong token is refused", async function () {
    this.timeout(120_000);
    await activateAsyncLens();
    const { file, blockLine } = copyServer("attach-server.js");
    const server = await startServer(file, { ASYNC_LENS_LISTEN: "0", ASYNC_LENS_LOG: "stderr" });
    const tokenFile = path.join(os.tmpdir(), `async-lens-${server.pid}.json`);
    await waitForFile(tokenFile, 30_000);

    const info = JSON.parse(fs.readFileSync(tokenFile, "utf8")) as { token: string };
    const forged = path.join(path.dirname(file), "forged-token.json");
    fs.writeFileSync(forged, JSON.stringify({ ...info, token: info.token.replace(/./g, (c) => (c === "0" ? "1" : "0")) }));
    await vscode.commands.executeCommand("asyncLens.attachToProcess", forged);
    await server.output(/refused [^\n]*: wrong token/, "the runtime to refuse the forged token");

    await vscode.commands.executeCommand("asyncLens.attachToProcess", server.pid);
    await server.output(/viewer \S+ attached/, "the runtime to accept the extension");
    const atBlock = (d: vscode.Diagnostic) => d.source === RUNTIME_SOURCE && d.range.start.line === blockLine;
    for (let round = 0; !vscode.languages.getDiagnostics(vscode.Uri.file(file)).some(atBlock); round++) {
      if (round > 300) assert.fail(`no runtime finding at attach-server.js:${blockLine + 1} from the attached server`);
      await Promise.all([server.get("/item/a"), server.get("/item/b"), server.get("/report")]);
    }
    const page = (await checkpoint("task-inspector-attach")) as { reportRows: number; blockLinks: string[] } | undefined;
    if (page) {
      assert.ok(page.reportRows > 0, "no GET /report task from the attached server");
      assert.ok(page.blockLinks.includes(`attach-server.js:${blockLine + 1}`), JSON.stringify(page.blockLinks));
    }

    // Save the session and read the file back as a trace: it holds the block the panel showed.
    const saved = path.join(path.dirname(file), "attached.alens");
    await vscode.commands.executeCommand("asyncLens.saveTrace", vscode.Uri.file(saved));
    const trace = loadTrace(saved);
    assert.equal(trace.truncated, false);
    const blocks = trace.processes.flatMap((p) => p.events).filter((e) => e.type === "block" && e.site?.line === blockLine + 1);
    assert.ok(blocks.length > 0, `no block at attach-server.js:${blockLine + 1} in the saved trace`);
    await server.quit();
  });

  it("runs a TypeScript file's build output, and marks the .ts line through its source map", async function () {
    this.timeout(120_000);
    const project = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, "ts-run");
    const source = path.join(project, "src", "app.ts");
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.copyFileSync(TS_PROGRAM, source);
    const config = path.join(project, "tsconfig.json");
    fs.writeFileSync(config, JSON.stringify({ compilerOptions: { outDir: "out", rootDir: "src", sourceMap: true, module: "commonjs" } }));
    // The project's own build, with the real compiler (no lib files: only the output is needed).
    const parsed = ts.getParsedCommandLineOfConfigFile(config, { noLib: true, types: [] }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) })!;
    assert.equal(ts.createProgram(parsed.fileNames, parsed.options).emit().emitSkipped, false);
    const blockLine = fs.readFileSync(source, "utf8").split("\n").findIndex((l) => l.includes("// BLOCK: typescript"));
    const document = await vscode.workspace.openTextDocument(source);
    await vscode.window.showTextDocument(document);

    const exited = programOutput(/out\/app\.js\n[\s\S]*app\.ts exited with code 0/);
    await vscode.commands.executeCommand("asyncLens.runCurrentFile");
    await withTimeout(exited, 60_000, "app.ts's build output to run and exit");
    const atBlock = (f: vscode.Diagnostic) => f.range.start.line === blockLine;
    const finding = (await waitForDiagnostics(document.uri, (d) => d.some(atBlock), `a runtime finding at app.ts:${blockLine + 1}`, 30_000, RUNTIME_SOURCE)).find(atBlock)!;
    assert.match(finding.message, /^Blocked the event loop \d+ ms, 1 time, in the last run/);
  });
});
