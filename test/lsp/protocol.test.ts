// The language server as an editor sees it: the real `async-lens lsp --stdio`
// process, spoken to over JSON-RPC.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  CancellationTokenSource,
  CodeActionKind,
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ErrorCodes,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  LSPErrorCodes,
  ResponseError,
  type CodeAction,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { spawnSync } from "node:child_process";
import { CLI, LspClient, REPO_ROOT, uriOf } from "../support/lsp-client";

const DEMO = path.join(REPO_ROOT, "examples/demo");
const DOCS = "https://github.com/async-lens/async-lens/blob/main/server/docs/rules/";

/** A throwaway tsconfig project inside the repository, so @types/node resolves from its node_modules. */
function workspace(files: Record<string, string>): string {
  const base = path.join(REPO_ROOT, "out", "lsp-workspaces");
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, "ws-"));
  const all: Record<string, string> = {
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"], noEmit: true, skipLibCheck: true }, include: ["src"] }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const HELPER = `export function loadSettings(): string {\n  return "{}";\n}\n`;
const CALLER = `import { loadSettings } from "./helper";\n\nexport async function handle(): Promise<string> {\n  return loadSettings();\n}\n`;
const LOCKS = `import { Mutex } from "async-mutex";\n\nexport const first = new Mutex();\nexport const second = new Mutex();\n`;
/** A module whose `run` holds `outer` while it waits for `inner`. */
const nested = (outer: string, inner: string) =>
  `import { first, second } from "./locks";\n\nexport async function run(work: () => Promise<void>): Promise<void> {\n  await ${outer}.runExclusive(async () => {\n    await ${inner}.runExclusive(work);\n  });\n}\n`;
const BLOCKING = `import * as fs from "node:fs";\n\nexport async function load(): Promise<string> {\n  return fs.readFileSync("settings.json", "utf8");\n}\n`;

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);
const at = (line: number, character: number) => ({ line, character });

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create("file:///x.ts", "typescript", 1, text), edits);
}

describe("language server protocol (async-lens lsp --stdio)", function () {
  this.timeout(60_000);
  let client: LspClient | undefined;
  let settings: Record<string, unknown> = {};
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    settings = {};
  });
  after(() => fs.rmSync(path.join(REPO_ROOT, "out", "lsp-workspaces"), { recursive: true, force: true }));

  const start = async (rootDir: string, capabilities = {}, transport: "stdio" | "ipc" = "stdio") => {
    client = await LspClient.start({ rootDir, capabilities, settings: () => settings, transport });
    return client;
  };

  it("refuses to start without a transport, and ends when its editor's input closes", () => {
    const run = spawnSync(process.execPath, [CLI, "lsp"], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /expected exactly one of --stdio, --node-ipc; got none/);
    const ipc = spawnSync(process.execPath, [CLI, "lsp", "--node-ipc"], { encoding: "utf8" });
    assert.equal(ipc.status, 2);
    assert.match(ipc.stderr, /--node-ipc needs a parent process with an IPC channel/);
    // Standard input closing without shutdown and exit is an editor that went away: the server ends, with 1.
    const gone = spawnSync(process.execPath, [CLI, "lsp", "--stdio", "--clientProcessId", String(process.pid)], { input: "", encoding: "utf8", timeout: 30_000 });
    assert.equal(gone.status, 1);
  });

  it("speaks over Node IPC when forked with --node-ipc (as the VS Code client starts it), reporting progress while the project loads", async () => {
    const c = await start(DEMO, { window: { workDoneProgress: true } }, "ipc");
    const file = path.join(DEMO, "src/inventory/reserve.ts");
    await c.open(file, fs.readFileSync(file, "utf8"));
    assert.deepEqual(codes(await c.diagnostics(file)), ["lock-not-released"]);
    const kinds = c.progress.map((p) => p.value.kind);
    assert.deepEqual(kinds, ["begin", "end"]);
    assert.equal(c.progress[0].value.title, "Async Lens");
    assert.match(c.progress[0].value.message ?? "", /Loading demo/);
    assert.equal(c.progress[0].token, c.progress[1].token);
  });

  it("publishes a file's findings on open, with exact ranges, codes, documentation links and related locations", async () => {
    const c = await start(DEMO);
    const file = path.join(DEMO, "src/accounts/audit.ts");
    await c.open(file, fs.readFileSync(file, "utf8"));
    const [d, ...rest] = await c.diagnostics(file);
    assert.equal(rest.length, 0);
    assert.equal(d.source, "async-lens");
    assert.equal(d.code, "lock-order");
    assert.equal(d.codeDescription?.href, `${DOCS}lock-order.md`);
    assert.deepEqual(d.range, { start: at(6, 10), end: at(6, 35) });
    const transfer = uriOf(path.join(DEMO, "src/accounts/transfer.ts"));
    assert.deepEqual(
      d.relatedInformation?.map((r) => [r.location.uri === transfer ? "transfer.ts" : path.basename(r.location.uri), r.location.range.start.line, r.message]),
      [
        ["audit.ts", 3, "ledgerLock is held from here"],
        ["transfer.ts", 8, "ledgerLock is acquired here while accountsLock is held"],
        ["transfer.ts", 6, "accountsLock is held from here"],
      ],
    );
  });

  it("updates the findings on change, and hovers explain them", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    await c.open(file, BLOCKING);
    const [d] = await c.diagnostics(file, (ds) => ds.length > 0);
    assert.equal(d.code, "blocking-call");
    assert.deepEqual(d.range, { start: at(3, 9), end: at(3, 49) });

    const hover = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: at(3, 15) });
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /\*\*Async Lens: blocking-call\*\*/);
    // The message's code quotes render as code, not as literal backticks.
    assert.ok(value.includes("`readFileSync`") && !value.includes("\\`"), value);
    assert.ok(value.includes(`(${DOCS}blocking-call.md)`), value);
    assert.equal(await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: at(0, 0) }), null);

    // `readFileSync(` → `readFile(`: no longer a blocking call.
    await c.edit(file, { start: at(3, 20), end: at(3, 24) }, "");
    assert.deepEqual(await c.diagnostics(file), []);
  });

  it("replaces a partial result after an edit with a full analysis once typing pauses, where the two differ", async () => {
    // JavaScript infers `this.out` from the assignment in `open`; `writeAll` names nothing `open` declares, so an edit of
    // `open` alone is analysed in part and `writeAll` keeps its finding, until the full analysis after the pause.
    const LOGGER = `const fs = require("node:fs");\n\nclass Logger {\n  open(file) {\n    this.out = fs.createWriteStream(file);\n  }\n\n  async writeAll(lines) {\n    for (const line of lines) this.out.write(line);\n  }\n}\n\nmodule.exports = { Logger };\n`;
    const dir = workspace({ "src/logger.js": LOGGER });
    const c = await start(dir);
    const file = path.join(dir, "src/logger.js");
    await c.open(file, LOGGER, "javascript");
    const [d] = await c.diagnostics(file, (ds) => ds.length > 0);
    assert.equal(d.code, "ignored-backpressure");
    assert.deepEqual(d.range.start, at(8, 30));
    // `fs.createWriteStream(file)` → `[]`: lines kept in memory, no stream to write to.
    const version = await c.edit(file, { start: at(4, 15), end: at(4, 41) }, "[]");
    assert.deepEqual(await c.diagnostics(file, (ds) => ds.length === 0), []);
    const forVersion = c.publications.filter((p) => p.uri === uriOf(file) && p.version === version).map((p) => codes(p.diagnostics));
    assert.deepEqual(forVersion, [["ignored-backpressure"], []], "the partial result first, then the full one that replaced it");
  });

  it("refreshes a caller in another file when a helper it calls starts to block, without reopening it (push)", async () => {
    const dir = workspace({ "src/helper.ts": HELPER, "src/caller.ts": CALLER });
    const c = await start(dir);
    const helper = path.join(dir, "src/helper.ts");
    const caller = path.join(dir, "src/caller.ts");
    await c.open(caller, CALLER);
    await c.open(helper, HELPER);
    assert.deepEqual(await c.diagnostics(caller), []);
    await c.edit(helper, { start: at(1, 9), end: at(1, 13) }, `require("node:fs").readFileSync("settings.json", "utf8")`);
    const [d] = await c.diagnostics(caller, (ds) => ds.length > 0);
    assert.equal(d.code, "blocking-call");
    assert.deepEqual(d.range, { start: at(3, 9), end: at(3, 23) });
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === uriOf(helper)), JSON.stringify(d.relatedInformation));
  });

  it("refreshes an importer when the file it imports is created, changed or deleted on disk", async () => {
    // forward.ts holds `first` while it awaits a helper of inner.ts, which does not exist yet; backward.ts takes the locks the other way round.
    const forward = `import { first } from "./locks";\nimport { withSecond } from "./inner";\n\nexport async function run(work: () => Promise<void>): Promise<void> {\n  await first.runExclusive(async () => {\n    await withSecond(work);\n  });\n}\n`;
    const inner = (body: string) => `import { second } from "./locks";\n\nexport async function withSecond(work: () => Promise<void>): Promise<void> {\n  ${body};\n}\n`;
    const dir = workspace({ "src/locks.ts": LOCKS, "src/forward.ts": forward, "src/backward.ts": nested("second", "first") });
    const c = await start(dir);
    const file = path.join(dir, "src/forward.ts");
    const helper = path.join(dir, "src/inner.ts");
    const onDisk = async (type: FileChangeType, body?: string) => {
      if (body === undefined) fs.rmSync(helper);
      else fs.writeFileSync(helper, inner(body));
      await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(helper), type }] });
    };
    await c.open(file, forward);
    assert.deepEqual(await c.diagnostics(file), []);
    // An edit first, so the server has looked at forward.ts's imports while inner.ts was missing.
    await c.edit(file, { start: at(9, 0), end: at(9, 0) }, "// draft\n");
    assert.deepEqual(await c.diagnostics(file), []);

    await onDisk(FileChangeType.Created, "await second.runExclusive(work)");
    const [d] = await c.diagnostics(file, (ds) => ds.length > 0);
    assert.equal(d.code, "lock-order");
    assert.deepEqual(d.range, { start: at(5, 10), end: at(5, 26) });
    // forward.ts's text is the same: only knowing that it imports the new file refreshes it.
    await onDisk(FileChangeType.Changed, "await work()");
    assert.deepEqual(await c.diagnostics(file, (ds) => ds.length === 0), []);
    await onDisk(FileChangeType.Changed, "await second.runExclusive(work)");
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["lock-order"]);
    await onDisk(FileChangeType.Deleted);
    assert.deepEqual(await c.diagnostics(file, (ds) => ds.length === 0), []);
  });

  it("refreshes the other side of a lock-order pair when an edit creates the pair, and again when it goes", async () => {
    const dir = workspace({ "src/locks.ts": LOCKS, "src/forward.ts": nested("first", "second"), "src/backward.ts": nested("first", "second") });
    const c = await start(dir);
    const forward = path.join(dir, "src/forward.ts");
    const backward = path.join(dir, "src/backward.ts");
    await c.open(forward, nested("first", "second"));
    await c.open(backward, nested("first", "second"));
    assert.deepEqual(await c.diagnostics(forward), []);
    assert.deepEqual(await c.diagnostics(backward), []);
    // backward.ts now takes the locks the other way round; forward.ts neither imports it nor changes.
    await c.edit(backward, { start: at(0, 0), end: at(99, 0) }, nested("second", "first"));
    const [d] = await c.diagnostics(forward, (ds) => ds.length > 0);
    assert.equal(d.code, "lock-order");
    assert.deepEqual(d.range, { start: at(4, 10), end: at(4, 29) });
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === uriOf(backward)));
    assert.deepEqual(codes(await c.diagnostics(backward)), ["lock-order"]);
    await c.edit(backward, { start: at(0, 0), end: at(99, 0) }, nested("first", "second"));
    assert.deepEqual(await c.diagnostics(forward, (ds) => ds.length === 0), []);
  });

  it("asks a pull client to pull again when a file it did not edit changes, and answers each pull with the text on screen", async () => {
    const dir = workspace({ "src/helper.ts": HELPER, "src/caller.ts": CALLER });
    let refreshes = 0;
    const c = await start(dir, { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } });
    c.connection.onRequest("workspace/diagnostic/refresh", () => {
      refreshes++;
      return null;
    });
    const helper = path.join(dir, "src/helper.ts");
    const caller = path.join(dir, "src/caller.ts");
    await c.open(caller, CALLER);
    await c.open(helper, HELPER);
    const pull = (file: string, previousResultId?: string) =>
      c.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) }, previousResultId }) as Promise<DocumentDiagnosticReport>;
    const first = await pull(caller);
    assert.equal(first.kind, DocumentDiagnosticReportKind.Full);
    assert.deepEqual(first.kind === "full" && first.items, []);
    assert.equal((await pull(caller, first.resultId)).kind, DocumentDiagnosticReportKind.Unchanged);

    await c.edit(helper, { start: at(1, 9), end: at(1, 13) }, `require("node:fs").readFileSync("settings.json", "utf8")`);
    assert.deepEqual(await pull(helper).then((r) => r.kind === "full" && r.items), []);
    await c.waitFor("a workspace/diagnostic/refresh request", () => (refreshes > 0 ? true : undefined));
    const after = await pull(caller, first.resultId);
    assert.equal(after.kind, DocumentDiagnosticReportKind.Full);
    assert.deepEqual(after.kind === "full" && codes(after.items), ["blocking-call"]);
  });

  it("offers the core's fixes as quick fixes, the preferred one marked, whose edit makes the finding go away", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    await c.open(file, BLOCKING);
    const [d] = await c.diagnostics(file, (ds) => ds.length > 0);
    const actions = (await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(file) },
      range: d.range,
      context: { diagnostics: [d], only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.ok(actions.every((a) => a.kind === CodeActionKind.QuickFix && a.diagnostics?.[0].code === "blocking-call"));
    const ignore = actions.find((a) => a.title === "Ignore blocking-call on this line");
    assert.deepEqual(ignore?.edit?.changes?.[uriOf(file)], [{ range: { start: at(3, 0), end: at(3, 0) }, newText: "  // async-lens-ignore-next-line blocking-call -- <reason>\n" }]);
    const docs = actions.find((a) => a.command?.command === "async-lens.showRuleDocumentation");
    assert.deepEqual(docs?.command?.arguments, [`${DOCS}blocking-call.md`]);

    const fixed = applyEdits(BLOCKING, preferred[0].edit!.changes![uriOf(file)]);
    assert.match(fixed, /await fs\.promises\.readFile|await readFile/);
    // The new text replaces the whole document, as an editor applying the edit would send it.
    await c.edit(file, { start: at(0, 0), end: at(99, 0) }, fixed);
    assert.deepEqual(await c.diagnostics(file), []);
  });

  it("fixes the whole file with source.fixAll.async-lens", async () => {
    const twice = `${BLOCKING}\nexport async function again(): Promise<string> {\n  return fs.readFileSync("other.json", "utf8");\n}\n`;
    const dir = workspace({ "src/load.ts": twice });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    await c.open(file, twice);
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["blocking-call", "blocking-call"]);
    const actions = (await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(file) },
      range: { start: at(0, 0), end: at(0, 0) },
      context: { diagnostics: [], only: [CodeActionKind.SourceFixAll] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.kind), ["source.fixAll.async-lens"]);
    const fixed = applyEdits(twice, actions[0].edit!.changes![uriOf(file)]);
    await c.edit(file, { start: at(0, 0), end: at(99, 0) }, fixed);
    assert.deepEqual(await c.diagnostics(file), []);
  });

  it("answers a cancelled diagnostic pull with RequestCancelled and keeps serving", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    // A long debounce holds the analysis of the edit back, so the pull is still waiting when cancelled.
    settings = { debounce: 5000 };
    const c = await start(dir, { textDocument: { diagnostic: {} }, workspace: { configuration: true } });
    const file = path.join(dir, "src/load.ts");
    await c.open(file, BLOCKING);
    const pull = () => c.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) } }) as Promise<DocumentDiagnosticReport>;
    const initial = await pull();
    assert.deepEqual(initial.kind === "full" && codes(initial.items), ["blocking-call"]);
    await c.edit(file, { start: at(3, 20), end: at(3, 24) }, "");
    const source = new CancellationTokenSource();
    const pending = c.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) } }, source.token);
    source.cancel();
    await assert.rejects(pending, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
    settings = {};
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const report = await pull();
    assert.deepEqual(report.kind === "full" && report.items, []);
  });

  it("applies a settings change live: a rule turned off disappears", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    const c = await start(dir, { workspace: { configuration: true } });
    const file = path.join(dir, "src/load.ts");
    await c.open(file, BLOCKING);
    await c.diagnostics(file, (ds) => codes(ds).includes("blocking-call"));
    settings = { rules: { "blocking-call": "off" } };
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual(await c.diagnostics(file, (ds) => ds.length === 0), []);
    settings = { rules: { "blocking-call": "error" } };
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const [d] = await c.diagnostics(file, (ds) => ds.length > 0);
    assert.equal(d.severity, 1);
  });

  it("reports a broken config file once, on that file, analyses with the defaults, and recovers when it is mended", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING, "async-lens.config.json": `{ "rules": { "blocking-call": "off", } ` });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    const config = path.join(dir, "async-lens.config.json");
    await c.open(file, BLOCKING);
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["blocking-call"]);
    const [problem, ...more] = await c.diagnostics(config, (ds) => ds.length > 0);
    assert.equal(more.length, 0);
    assert.match(problem.message as string, /^not valid JSON \(\w+\); using the default configuration\.$/);

    fs.writeFileSync(config, `{ "rules": { "blocking-call": "off" } }`);
    await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(config), type: FileChangeType.Changed }] });
    assert.deepEqual(await c.diagnostics(config, (ds) => ds.length === 0), []);
    assert.deepEqual(await c.diagnostics(file, (ds) => ds.length === 0), []);
  });

  it("reports a broken tsconfig once, on that file, each time it breaks, analyses with the defaults meanwhile, and clears it when mended", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    // Pulled diagnostics answer with an analysis made after the change; the tsconfig's are pushed.
    const c = await start(dir, { textDocument: { diagnostic: {} } });
    const file = path.join(dir, "src/load.ts");
    const tsconfig = path.join(dir, "tsconfig.json");
    const valid = fs.readFileSync(tsconfig, "utf8");
    const rewrite = async (text: string) => {
      fs.writeFileSync(tsconfig, text);
      await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(tsconfig), type: FileChangeType.Changed }] });
    };
    const pulledCodes = async () => {
      const report = (await c.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uriOf(file) } })) as DocumentDiagnosticReport;
      return report.kind === "full" ? codes(report.items) : report.kind;
    };
    await c.open(file, BLOCKING);
    assert.deepEqual(await pulledCodes(), ["blocking-call"]);
    for (let round = 0; round < 2; round++) {
      await rewrite(`{ "compilerOptions": { "strict": true, `);
      const [problem, ...more] = await c.diagnostics(tsconfig, (ds) => ds.length > 0);
      assert.equal(more.length, 0);
      assert.match(problem.message as string, /^cannot use .*tsconfig\.json: /);
      assert.deepEqual(await pulledCodes(), ["blocking-call"]);
      await rewrite(valid);
      assert.deepEqual(await c.diagnostics(tsconfig, (ds) => ds.length === 0), []);
      assert.deepEqual(await pulledCodes(), ["blocking-call"]);
    }
  });

  it("releases a project when its last open file closes, and loads it again when a file of it is reopened", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING, "src/other.ts": BLOCKING });
    const c = await start(dir);
    const load = path.join(dir, "src/load.ts");
    const other = path.join(dir, "src/other.ts");
    const loads = () => c.log.filter((m) => m.startsWith(`loaded ${path.join(dir, "tsconfig.json")}:`)).length;
    const reopen = async (...files: string[]) => {
      for (const f of files) await c.close(f);
      // The server clears a closed file's diagnostics: after that, any finding is from the reopened document.
      for (const f of files) await c.diagnostics(f, (ds) => ds.length === 0);
      for (const f of files) await c.open(f, BLOCKING);
      for (const f of files) assert.deepEqual(codes(await c.diagnostics(f, (ds) => ds.length > 0)), ["blocking-call"]);
    };
    await c.open(load, BLOCKING);
    await c.open(other, BLOCKING);
    await c.diagnostics(load, (ds) => ds.length > 0);
    await c.diagnostics(other, (ds) => ds.length > 0);
    assert.equal(loads(), 1);
    // other.ts stays open, so the project is kept.
    await reopen(load);
    assert.equal(loads(), 1);
    // Both closed: the project is released, and reopening builds it again.
    await reopen(load, other);
    assert.equal(loads(), 2);
  });

  it("survives a file that does not parse, and analyses it again once it does", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    const broken = `export async function (((( {\n  const = ;\n  fs.readFileSync(\n`;
    await c.open(file, broken);
    assert.ok(Array.isArray(await c.diagnostics(file)));
    await c.edit(file, { start: at(0, 0), end: at(99, 0) }, BLOCKING);
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["blocking-call"]);
  });

  it("keeps a file open while a second spelling of its URI closes", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    // The same path with its dot percent-encoded, as some clients spell URIs.
    const alias = uriOf(file).replace(/\.ts$/, "%2Ets");
    await c.open(file, BLOCKING);
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["blocking-call"]);
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: alias, languageId: "typescript", version: 1, text: "export const x = 1;\n" } });
    await c.connection.sendNotification("textDocument/didClose", { textDocument: { uri: alias } });
    await c.edit(file, { start: at(0, 0), end: at(0, 0) }, "// still open\n");
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["blocking-call"]);
  });

  it("answers garbage and out-of-order requests with errors and stays up", async () => {
    const dir = workspace({ "src/load.ts": BLOCKING });
    const c = await start(dir);
    const file = path.join(dir, "src/load.ts");
    const isError = (code: number) => (e: unknown) => e instanceof ResponseError && e.code === code;
    await assert.rejects(c.connection.sendRequest("async-lens/noSuchMethod", {}), isError(ErrorCodes.MethodNotFound));
    // Hover and code actions on a document that was never opened.
    await assert.rejects(c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: at(0, 0) }), isError(ErrorCodes.InvalidParams));
    await assert.rejects(c.connection.sendRequest("textDocument/codeAction", { nonsense: true }), isError(ErrorCodes.InvalidParams));
    await assert.rejects(c.connection.sendRequest(ExecuteCommandRequest.type, { command: "rm -rf", arguments: [] }), isError(ErrorCodes.InvalidParams));
    // A change to a document that is not open, then bytes that are not JSON-RPC at all.
    await c.connection.sendNotification("textDocument/didChange", { textDocument: { uri: uriOf(file), version: 9 }, contentChanges: [{ text: "x" }] });
    c.child.stdin!.write("Content-Length: 9\r\n\r\n{garbage}");
    await c.open(file, BLOCKING);
    assert.deepEqual(codes(await c.diagnostics(file, (ds) => ds.length > 0)), ["blocking-call"]);
    assert.equal(await c.stop(), 0);
  });
});
