// `npm run bench` (language server): drives the real `async-lens lsp --stdio`
// over JSON-RPC on the benchmark's corpora, as an editor would, and prints the
// latency table with the targets of issue 13 and their verdicts:
//   - p95 from `didChange` to fresh diagnostics ≤ 50 ms after warm-up, over 50
//     single-character edits in each named file;
//   - first diagnostics of a file within 2 s of opening it in a cold 40k-line
//     project (the mongodb tree);
//   - the server's peak RSS no more than tsserver's on the same project, given
//     the same file and the same edits (measured in the same run).
// The anchor, measured in the same run: a plain TypeScript LanguageService
// re-resolving every call of the file after the same edits, which is what a
// server without incremental facts pays per edit.
// It exits 0 whatever the verdicts (it reports) and 1 when a server crashed.
//
//   node out/test/bench/lsp.js [tree ids…]
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { LspClient } from "../support/lsp-client";
import { prepareTree, type PreparedTree } from "./cache";
import { REPO_ROOT } from "./tools";
import { TREES } from "./trees";
import { runBench } from "./measure";

const CACHE_ROOT = path.join(REPO_ROOT, ".bench-cache");
const EDITS = 50;
/** Edits not counted: the first analyses after opening warm V8 and TypeScript's caches. */
const WARM_UP = 5;
const TARGET_P95_MS = 50;
const TARGET_FIRST_MS = 2000;

interface Subject {
  treeId: string;
  file: string;
}

const SUBJECTS: readonly Subject[] = [
  { treeId: "npm", file: "workspaces/arborist/lib/arborist/reify.js" },
  { treeId: "mongodb", file: "src/cursor/abstract_cursor.ts" },
];

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Peak and current resident set size of a process, in MB, from /proc. */
function rssOf(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

/** The same 50 edits for every measurement: a space typed at the start of lines spread over the file. */
function editLines(text: string): number[] {
  const lines = text.split("\n").length;
  return Array.from({ length: EDITS }, (_, k) => Math.floor(((k + 0.5) * (lines - 1)) / EDITS));
}

interface ServerRun {
  firstMs: number;
  latencies: number[];
  findings: number;
  rss: { peak: number; now: number };
}

async function benchServer(prepared: PreparedTree, file: string): Promise<ServerRun> {
  // Debounce 0: the table measures the analysis, not the pause the editor setting adds while typing.
  const client = await LspClient.start({ rootDir: prepared.dir, capabilities: { workspace: { configuration: true } }, settings: () => ({ debounce: 0 }) });
  try {
    const text = fs.readFileSync(file, "utf8");
    const opened = performance.now();
    await client.open(file, text, file.endsWith(".ts") ? "typescript" : "javascript");
    const first = await client.diagnostics(file);
    const firstMs = performance.now() - opened;
    const latencies: number[] = [];
    for (const line of editLines(text)) {
      const sent = performance.now();
      await client.edit(file, { start: { line, character: 0 }, end: { line, character: 0 } }, " ");
      await client.diagnostics(file);
      latencies.push(performance.now() - sent);
    }
    return { firstMs, latencies: latencies.slice(WARM_UP), findings: first.length, rss: rssOf(client.child.pid!) };
  } finally {
    const code = await client.stop();
    if (code !== 0) throw new Error(`the server exited with ${code}: ${client.stderr.join("")}`);
  }
}

/**
 * tsserver given the same work: the file opened, its semantic diagnostics
 * computed, then the same edits, each followed by its semantic diagnostics
 * again (what an editor asks of it while typing). Its memory for this project.
 */
async function tsserverRss(prepared: PreparedTree, file: string): Promise<{ peak: number; now: number }> {
  const tsserver = require.resolve("typescript/lib/tsserver.js");
  const child = spawn(process.execPath, [tsserver, "--disableAutomaticTypingAcquisition", "--suppressDiagnosticEvents"], { cwd: prepared.dir, stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<never>((_, reject) => child.on("exit", (code) => reject(new Error(`tsserver exited with ${code}`))));
  let buffer = "";
  const answered = new Map<number, () => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    // Responses are `Content-Length` framed JSON objects, each naming the request it answers.
    for (const m of buffer.matchAll(/"request_seq":(\d+)/g)) answered.get(Number(m[1]))?.();
    buffer = buffer.slice(buffer.lastIndexOf("Content-Length"));
  });
  let seq = 0;
  const send = (command: string, args: unknown): number => {
    child.stdin.write(`${JSON.stringify({ seq: ++seq, type: "request", command, arguments: args })}\n`);
    return seq;
  };
  // tsserver answers requests in order, and does not answer `open` and `change` at all.
  const request = (command: string, args: unknown): Promise<void> => {
    const done = new Promise<void>((resolve) => answered.set(seq + 1, resolve));
    send(command, args);
    return Promise.race([done, exited]);
  };
  send("open", { file });
  await request("semanticDiagnosticsSync", { file });
  for (const line of editLines(fs.readFileSync(file, "utf8"))) {
    // tsserver's lines and offsets are 1-based.
    send("change", { file, line: line + 1, offset: 1, endLine: line + 1, endOffset: 1, insertString: " " });
    await request("semanticDiagnosticsSync", { file });
  }
  const rss = rssOf(child.pid!);
  child.removeAllListeners("exit");
  child.kill();
  return rss;
}

/** The anchor: a LanguageService that re-resolves every call of the file after each edit. */
function anchorLatencies(prepared: PreparedTree, file: string): number[] {
  const config = ts.getParsedCommandLineOfConfigFile(prepared.tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  let text = fs.readFileSync(file, "utf8");
  let version = 0;
  const service = ts.createLanguageService({
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => config.fileNames,
    getScriptVersion: (f) => (path.resolve(f) === file ? String(version) : "0"),
    getScriptSnapshot: (f) => {
      const content = path.resolve(f) === file ? text : ts.sys.readFile(f);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => prepared.dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  });
  const resolveAll = () => {
    const program = service.getProgram()!;
    const checker = program.getTypeChecker();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) checker.getResolvedSignature(node);
      ts.forEachChild(node, visit);
    };
    visit(program.getSourceFile(file)!);
  };
  resolveAll();
  const latencies: number[] = [];
  for (const line of editLines(text)) {
    const lines = text.split("\n");
    lines[line] = ` ${lines[line]}`;
    text = lines.join("\n");
    version++;
    const started = performance.now();
    resolveAll();
    latencies.push(performance.now() - started);
  }
  service.dispose();
  return latencies.slice(WARM_UP);
}

async function main(): Promise<number> {
  log(`language server benchmark: node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  log(`  ${EDITS} single-character edits per file, the first ${WARM_UP} not counted; server debounce 0 ms`);
  const load = os.loadavg()[0];
  if (load > os.cpus().length) {
    log(`  note: load average ${load.toFixed(1)} on ${os.cpus().length} cores: absolute times are inflated by the other work; the ratio to the anchor, measured in the same run, is the steadier figure`);
  }
  const wanted = process.argv.slice(2);
  let crashed = false;
  for (const subject of SUBJECTS.filter((s) => wanted.length === 0 || wanted.includes(s.treeId))) {
    const prepared = prepareTree(TREES.find((t) => t.id === subject.treeId)!, CACHE_ROOT, log);
    const file = path.join(prepared.dir, subject.file);
    log("");
    log(`${subject.file} (${prepared.tree.packageName}@${prepared.tree.version}: ${prepared.files.length} files, ${prepared.lines.toLocaleString("en-US")} lines)`);
    let server: ServerRun;
    try {
      server = await benchServer(prepared, file);
    } catch (error) {
      log(`  async-lens lsp CRASHED: ${error instanceof Error ? error.message : String(error)}`);
      crashed = true;
      continue;
    }
    const anchor = anchorLatencies(prepared, file);
    const tsserver = await tsserverRss(prepared, file);
    const p95 = percentile(server.latencies, 95);
    const cold = prepared.lines >= 40_000;
    log(`  ${"".padEnd(34)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}${"max ms".padStart(8)}`);
    log(`  ${"didChange → diagnostics (server)".padEnd(34)}${fmt(percentile(server.latencies, 50)).padStart(8)}${fmt(p95).padStart(8)}${fmt(Math.max(...server.latencies)).padStart(8)}`);
    log(`  ${"anchor: LanguageService re-resolve".padEnd(34)}${fmt(percentile(anchor, 50)).padStart(8)}${fmt(percentile(anchor, 95)).padStart(8)}${fmt(Math.max(...anchor)).padStart(8)}`);
    log(`  server / anchor, measured in the same run: p50 ${fmt(percentile(server.latencies, 50) / percentile(anchor, 50), 2)}, p95 ${fmt(p95 / percentile(anchor, 95), 2)}`);
    log(`  first diagnostics after didOpen: ${fmt(server.firstMs)} ms (${server.findings} findings)`);
    log(`  peak RSS: server ${fmt(server.rss.peak)} MB (now ${fmt(server.rss.now)}), tsserver ${fmt(tsserver.peak)} MB (now ${fmt(tsserver.now)})`);
    log(`  p95 ≤ ${TARGET_P95_MS} ms: ${fmt(p95)} ms ${p95 <= TARGET_P95_MS ? "PASS" : "FAIL"}`);
    if (cold) log(`  first diagnostics ≤ ${TARGET_FIRST_MS} ms in a cold ${Math.round(prepared.lines / 1000)}k-line project: ${fmt(server.firstMs)} ms ${server.firstMs <= TARGET_FIRST_MS ? "PASS" : "FAIL"}`);
    log(`  peak RSS server / tsserver ≤ 1.0: ${fmt(server.rss.peak / tsserver.peak, 2)} ${server.rss.peak <= tsserver.peak ? "PASS" : "FAIL"}`);
  }
  return crashed ? 1 : 0;
}

runBench("language server benchmark", main);
