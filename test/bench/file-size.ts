// `npm run bench` (file sizes): `async-lens check` against `tsc --noEmit` on
// one generated file of growing size, where the check must stay linear (time
// per MB flat as the file doubles), and on a 10-line file, where start-up is
// everything (a git hook checks one file). Each case is a throwaway project
// with @types/node; tools are interleaved and the median of the runs printed.
// It exits 0 whatever the figures (it reports) and 1 when a tool crashed.
//
//   node out/test/bench/file-size.js [--runs N] [--sizes 1.25,2.5,5]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { measure, median, type Measurement, type ToolRun, runBench } from "./measure";
import { REPO_ROOT } from "./tools";

const CLI = path.join(REPO_ROOT, "out", "server", "src", "cli", "main.js");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const TSCONFIG = JSON.stringify({ compilerOptions: { target: "es2022", module: "commonjs", strict: true, skipLibCheck: true, types: ["node"] } });

const HOOK_FILE = `import { readFileSync } from "node:fs";

export async function load(path: string): Promise<string> {
  const text = readFileSync(path, "utf8");
  return text.trim();
}

export function add(a: number, b: number): number {
  return a + b;
}
`;

/**
 * Generated code with findings all through it: each function has a blocking
 * read, write and exec whose fixes add or reuse imports, the work that used to
 * scan the whole file once per finding.
 */
function generatedFile(megabytes: number): string {
  const parts = ['import { readFileSync, writeFileSync } from "node:fs";\nimport { execSync } from "node:child_process";\n'];
  let size = parts[0].length;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const fn = `export async function handler${i}(p: string): Promise<string> {
  const data = readFileSync(p + "${i}", "utf8");
  writeFileSync(p + ".out", data);
  for (const x of [1, 2, 3]) { await Promise.resolve(x); }
  return execSync("echo ${i}").toString() + data;
}
`;
    parts.push(fn);
    size += fn.length;
  }
  return parts.join("");
}

interface Case {
  label: string;
  /** Size of the checked file in MB, for the time-per-MB column. */
  megabytes: number;
  dir: string;
  asyncLens: ToolRun;
  tsc: ToolRun;
  runs: number;
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-bench-size-"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function cases(sizes: number[], runs: number | undefined): Case[] {
  const out: Case[] = [];
  const loose = project({ "hook.ts": HOOK_FILE });
  out.push({
    label: "10-line file, no tsconfig",
    megabytes: HOOK_FILE.length / (1024 * 1024),
    dir: loose,
    asyncLens: { script: CLI, args: ["check", "hook.ts"], cwd: loose },
    // The settings of a loose file in the check: Node's types, declaration files not checked.
    tsc: { script: TSC, args: ["--noEmit", "--types", "node", "--skipLibCheck", "--target", "es2022", "hook.ts"], cwd: loose },
    runs: runs ?? 5,
  });
  const inProject = project({ "tsconfig.json": TSCONFIG, "hook.ts": HOOK_FILE });
  out.push({
    label: "10-line file, tsconfig",
    megabytes: HOOK_FILE.length / (1024 * 1024),
    dir: inProject,
    asyncLens: { script: CLI, args: ["check", "hook.ts"], cwd: inProject },
    tsc: { script: TSC, args: ["--noEmit", "-p", "."], cwd: inProject },
    runs: runs ?? 5,
  });
  for (const mb of sizes) {
    const text = generatedFile(mb);
    const dir = project({ "tsconfig.json": TSCONFIG, "generated.ts": text });
    out.push({
      label: `generated ${mb} MB`,
      megabytes: text.length / (1024 * 1024),
      dir,
      // The heap of a 5 MB program outgrows Node's default limit in tsc as in the check.
      asyncLens: { script: CLI, args: ["check", "generated.ts", "--format", "json"], cwd: dir, nodeFlags: ["--max-old-space-size=4096"] },
      tsc: { script: TSC, args: ["--noEmit", "-p", "."], cwd: dir, nodeFlags: ["--max-old-space-size=4096"] },
      runs: runs ?? 2,
    });
  }
  return out;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));

function crashed(m: Measurement, allowed: number[]): string | undefined {
  if (m.signal !== null) return `killed by ${m.signal}`;
  if (m.exitCode === null || !allowed.includes(m.exitCode)) return `exit code ${m.exitCode}: ${(m.stderr || m.stdout).trim().split("\n").slice(-3).join(" | ")}`;
  return undefined;
}

interface Figures {
  wall: number | undefined;
  cpu: number | undefined;
  rss: number | undefined;
}

function figures(runs: Measurement[]): Figures {
  const of = (values: (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length > 0 ? median(known) : undefined;
  };
  return { wall: of(runs.map((m) => m.wallSeconds)), cpu: of(runs.map((m) => m.cpuSeconds)), rss: of(runs.map((m) => m.peakRssMb)) };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : undefined;
  const sizesAt = argv.indexOf("--sizes");
  const sizes = sizesAt >= 0 ? argv[sizesAt + 1].split(",").map(Number) : [1.25, 2.5, 5];
  if ((runs !== undefined && !(runs >= 1)) || sizes.some((s) => !(s > 0))) throw new Error("usage: file-size.js [--runs N] [--sizes 1.25,2.5,5]");

  log("");
  log(`file-size benchmark: node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  log(`  ${"case".padEnd(28)}${"tool".padEnd(12)}${"wall s".padStart(8)}${"cpu s".padStart(8)}${"RSS MB".padStart(8)}${"cpu s/MB".padStart(10)}${"cpu ×tsc".padStart(10)}${"RSS ×tsc".padStart(10)}`);
  let anyCrash = false;
  const all = cases(sizes, runs);
  const perMb: { label: string; cpuPerMb: number | undefined }[] = [];
  try {
    for (const c of all) {
      const lens: Measurement[] = [];
      const tsc: Measurement[] = [];
      for (let round = 0; round < c.runs; round++) {
        // Alternate which tool runs first, so neither always meets cold caches.
        const order = round % 2 === 0 ? (["lens", "tsc"] as const) : (["tsc", "lens"] as const);
        for (const which of order) {
          const m = await measure(which === "lens" ? c.asyncLens : c.tsc);
          const crash = crashed(m, which === "lens" ? [0, 1] : [0, 1, 2]);
          process.stderr.write(`  ${c.label} run ${round + 1}/${c.runs} ${which}: ${m.wallSeconds.toFixed(2)} s${crash ? ` CRASHED (${crash})` : ""}\n`);
          if (crash !== undefined) anyCrash = true;
          else (which === "lens" ? lens : tsc).push(m);
        }
      }
      const a = figures(lens);
      const t = figures(tsc);
      const ratio = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined ? x / y : undefined);
      const large = c.megabytes >= 1;
      const cpuPerMb = large && a.cpu !== undefined ? a.cpu / c.megabytes : undefined;
      if (large) perMb.push({ label: c.label, cpuPerMb });
      log(`  ${c.label.padEnd(28)}${"async-lens".padEnd(12)}${fmt(a.wall, 2).padStart(8)}${fmt(a.cpu, 2).padStart(8)}${fmt(a.rss, 0).padStart(8)}${(large ? fmt(cpuPerMb, 2) : "").padStart(10)}${fmt(ratio(a.cpu, t.cpu), 2).padStart(10)}${fmt(ratio(a.rss, t.rss), 2).padStart(10)}`);
      log(`  ${"".padEnd(28)}${"tsc".padEnd(12)}${fmt(t.wall, 2).padStart(8)}${fmt(t.cpu, 2).padStart(8)}${fmt(t.rss, 0).padStart(8)}${(large && t.cpu !== undefined ? fmt(t.cpu / c.megabytes, 2) : "").padStart(10)}`);
    }
  } finally {
    for (const c of all) fs.rmSync(c.dir, { recursive: true, force: true });
  }
  const first = perMb.find((p) => p.cpuPerMb !== undefined);
  const last = perMb.findLast((p) => p.cpuPerMb !== undefined);
  if (first && last && first !== last) {
    // Linear means a flat cost per MB; a quadratic pass would double it with each doubling of the file.
    log(`  linearity: cpu s/MB at ${last.label} / at ${first.label} = ${fmt(last.cpuPerMb! / first.cpuPerMb!, 2)} (1.0 is linear)`);
  }
  return anyCrash ? 1 : 0;
}

runBench("file-size benchmark", main);
