// `npm run bench` (first half): times `async-lens check` against `tsc --noEmit`
// and ESLint's typed linting on real code bases, interleaved and repeated, and
// prints wall time, peak RSS and the ratios against the targets of issue 2.
// It exits 0 whatever the ratios (it reports) and 1 when a tool crashed.
//
//   node out/test/bench/analysis.js [tree ids…] [--runs N]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareTree, type PreparedTree } from "./cache";
import { measure, median, type Measurement, runBench } from "./measure";
import { ASYNC_LENS, ESLINT, parseAsyncLensJson, REPO_ROOT, TOOLS, TSC, type Tool } from "./tools";
import { TREES } from "./trees";

const CACHE_ROOT = path.join(REPO_ROOT, ".bench-cache");
const FINDINGS_DIR = path.join(CACHE_ROOT, "findings");

/** Issue 2's targets, as ratios of async-lens to the other tool. */
const TARGETS = [
  { label: "wall: async-lens / tsc", other: TSC, metric: "wallSeconds", max: 0.5 },
  { label: "wall: async-lens / eslint typed", other: ESLINT, metric: "wallSeconds", max: 0.3 },
  { label: "peak RSS: async-lens / tsc", other: TSC, metric: "peakRssMb", max: 1.0 },
] as const;

/** The same ratios in CPU time, which a busy machine disturbs less than wall time (informative, no target). */
const CPU_RATIOS = [
  { label: "cpu: async-lens / tsc", other: TSC },
  { label: "cpu: async-lens / eslint typed", other: ESLINT },
] as const;

type Metric = "wallSeconds" | "cpuSeconds" | "peakRssMb";

interface ToolResult {
  tool: Tool;
  runs: Measurement[];
  crashes: string[];
}

function parseArgs(argv: string[]): { treeIds: string[]; runs: number | undefined } {
  const treeIds: string[] = [];
  let runs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") runs = Number(argv[++i]);
    else treeIds.push(argv[i]);
  }
  const unknown = treeIds.filter((id) => !TREES.some((t) => t.id === id));
  if (unknown.length > 0 || (runs !== undefined && !(runs >= 1))) {
    throw new Error(`usage: analysis.js [${TREES.map((t) => t.id).join("|")} …] [--runs N]`);
  }
  return { treeIds, runs };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function benchTree(prepared: PreparedTree, runs: number): Promise<ToolResult[]> {
  const results = TOOLS.map((tool) => ({ tool, runs: [] as Measurement[], crashes: [] as string[] }));
  for (let round = 0; round < runs; round++) {
    // Rotate the order so no tool always runs first (cold caches) or last.
    for (let k = 0; k < results.length; k++) {
      const result = results[(round + k) % results.length];
      const m = await measure(result.tool.command(prepared));
      const crash = result.tool.crash(m);
      if (crash !== undefined) result.crashes.push(crash);
      else result.runs.push(m);
      process.stderr.write(`  ${prepared.tree.id} run ${round + 1}/${runs} ${result.tool.label}: ${m.wallSeconds.toFixed(2)} s${crash ? ` CRASHED (${crash.split("\n")[0]})` : ""}\n`);
    }
  }
  return results;
}

const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));
const pad = (s: string, width: number) => s.padEnd(width);
const padLeft = (s: string, width: number) => s.padStart(width);

function stat(result: ToolResult, metric: Metric): number | undefined {
  const values = result.runs.map((m) => m[metric]).filter((v): v is number => v !== undefined);
  return values.length > 0 ? median(values) : undefined;
}

function printTable(prepared: PreparedTree, results: ToolResult[]): void {
  const { tree } = prepared;
  log("");
  log(`${tree.packageName}@${tree.version}: ${tree.description}`);
  log(`  ${prepared.files.length} files, ${prepared.lines.toLocaleString("en-US")} lines; median of ${tree.runs} interleaved runs`);
  log(`  ${pad("tool", 18)}${padLeft("wall s", 8)}${padLeft("min–max", 14)}${padLeft("cpu s", 8)}${padLeft("peak RSS MB", 13)}`);
  for (const r of results) {
    const walls = r.runs.map((m) => m.wallSeconds);
    const spread = walls.length > 0 ? `${fmt(Math.min(...walls), 2)}–${fmt(Math.max(...walls), 2)}` : "";
    const crashed = r.crashes.length > 0 ? `  CRASHED ${r.crashes.length}×: ${r.crashes[0].split("\n")[0]}` : "";
    log(
      `  ${pad(r.tool.label, 18)}${padLeft(fmt(stat(r, "wallSeconds"), 2), 8)}${padLeft(spread, 14)}${padLeft(fmt(stat(r, "cpuSeconds"), 2), 8)}${padLeft(fmt(stat(r, "peakRssMb"), 0), 13)}${crashed}`,
    );
  }
  const ratio = (other: Tool, metric: Metric): number | undefined => {
    const mine = stat(results.find((r) => r.tool === ASYNC_LENS)!, metric);
    const theirs = stat(results.find((r) => r.tool === other)!, metric);
    return mine !== undefined && theirs !== undefined ? mine / theirs : undefined;
  };
  for (const target of TARGETS) {
    const r = ratio(target.other, target.metric);
    const verdict = r === undefined ? "n/a" : r <= target.max ? "PASS" : "FAIL";
    log(`  ${pad(target.label, 34)}${padLeft(fmt(r, 2), 6)}  target ≤ ${target.max.toFixed(1)}  ${verdict}`);
  }
  for (const c of CPU_RATIOS) log(`  ${pad(c.label, 34)}${padLeft(fmt(ratio(c.other, "cpuSeconds"), 2), 6)}`);
  if (tree.note !== undefined) log(`  note: ${tree.note}`);
  for (const r of results) {
    const last = r.runs.at(-1);
    if (!last) continue;
    const counts = [...r.tool.findingsByRule(last)].sort((a, b) => b[1] - a[1]);
    const shown = counts.slice(0, 12).map(([rule, n]) => `${rule} ${n}`).join(", ");
    log(`  ${pad(`${r.tool.id} findings:`, 21)}${counts.length === 0 ? "none" : shown}${counts.length > 12 ? `, … (${counts.length - 12} more)` : ""}`);
  }
}

/** Writes async-lens's findings as one line each (with related sites indented), for skimming precision. */
function writeFindings(prepared: PreparedTree, results: ToolResult[]): string | undefined {
  const last = results.find((r) => r.tool === ASYNC_LENS)?.runs.at(-1);
  const report = last && parseAsyncLensJson(last.stdout);
  if (!report) return undefined;
  fs.mkdirSync(FINDINGS_DIR, { recursive: true });
  const lines = report.diagnostics.flatMap((d) => [
    `${d.file}:${d.line}:${d.column} [${d.rule}] ${d.message}`,
    ...d.related.map((r) => `    ${r.file}:${r.line}:${r.column} ${r.message}`),
  ]);
  const file = path.join(FINDINGS_DIR, `${prepared.tree.id}.txt`);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function main(): Promise<number> {
  const { treeIds, runs } = parseArgs(process.argv.slice(2));
  const trees = TREES.filter((t) => treeIds.length === 0 || treeIds.includes(t.id));
  log(`analysis benchmark: node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const prepared = trees.map((tree) => prepareTree(tree, CACHE_ROOT, log));
  for (const p of prepared) log(`  ${p.tree.id}: ${p.files.length} files, ${p.lines.toLocaleString("en-US")} lines (${path.relative(REPO_ROOT, p.dir)})`);
  let crashed = false;
  for (const p of prepared) {
    const n = runs ?? p.tree.runs;
    const results = await benchTree(p, n);
    printTable({ ...p, tree: { ...p.tree, runs: n } }, results);
    const written = writeFindings(p, results);
    if (written) log(`  findings written to ${path.relative(REPO_ROOT, written)}`);
    crashed ||= results.some((r) => r.crashes.length > 0);
  }
  return crashed ? 1 : 0;
}

runBench("analysis benchmark", main);
