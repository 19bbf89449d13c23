// `npm run bench:realworld` (also the last part of `npm run bench`): runs
// `async-lens check --format json` on shipped npm packages (realworld-packages.ts)
// and scores every finding against the verdicts in realworld-verdicts.json,
// written by reading the code. Prints precision per rule, overall and for
// warnings against issue 10's targets, the findings nobody has judged yet, the
// judged ones no longer reported, and the misses found by reading that the
// rules report now or still miss. It exits 0 whatever the scores (it reports)
// and 1 when the check crashed or the verdicts file is malformed.
//
//   node out/test/bench/realworld.js [package names…]
import * as fs from "node:fs";
import * as path from "node:path";
import { prepareTree, type PreparedTree } from "./cache";
import { measure, runBench } from "./measure";
import { REALWORLD_PACKAGES } from "./realworld-packages";
import { parseVerdicts, precision, score, type ReportedFinding, type Score, type Tally } from "./realworld-score";
import { ASYNC_LENS, parseAsyncLensJson, REPO_ROOT } from "./tools";

const CACHE_ROOT = path.join(REPO_ROOT, ".bench-cache", "realworld");
const VERDICTS_FILE = path.join(REPO_ROOT, "test", "bench", "realworld-verdicts.json");

/** Issue 10's targets. */
const OVERALL_MIN = 0.8;
const WARNINGS_MIN = 0.9;
const PER_RULE_MIN = 0.7;
/** A rule is held to PER_RULE_MIN once it fires this often. */
const PER_RULE_FROM = 5;

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (p: number | undefined) => (p === undefined ? "–" : p.toFixed(2));

async function findingsOf(prepared: PreparedTree): Promise<ReportedFinding[]> {
  const m = await measure(ASYNC_LENS.command(prepared));
  const crash = ASYNC_LENS.crash(m);
  if (crash !== undefined) throw new Error(`async-lens check crashed on ${prepared.tree.packageName}@${prepared.tree.version}: ${crash}`);
  process.stderr.write(`  ${prepared.tree.id}: ${prepared.files.length} files, ${prepared.lines.toLocaleString("en-US")} lines, checked in ${m.wallSeconds.toFixed(1)} s\n`);
  return parseAsyncLensJson(m.stdout)!.diagnostics.map((d) => ({
    package: prepared.tree.id,
    file: d.file,
    line: d.line,
    endLine: d.endLine,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    related: d.related.map((r) => ({ file: r.file, line: r.line })),
  }));
}

function row(label: string, t: Tally, severities: string): string {
  const cells = [t.findings, t.real, t.false, t.debatable, t.unjudged].map((n) => String(n).padStart(6));
  return `  ${label.padEnd(22)}${cells.join("")}${fmt(precision(t)).padStart(11)}  ${severities}`;
}

function verdictLine(label: string, p: number | undefined, min: number): string {
  return `  ${label.padEnd(40)}${fmt(p).padStart(6)}  target ≥ ${min.toFixed(1)}  ${p === undefined ? "n/a" : p >= min ? "PASS" : "FAIL"}`;
}

function printScore(s: Score, reported: readonly ReportedFinding[]): void {
  log("");
  log(`  ${"rule".padEnd(22)}${["found", "real", "false", "debat", "unjdg"].map((h) => h.padStart(6)).join("")}${"precision".padStart(11)}  shown as`);
  for (const [rule, t] of [...s.byRule].sort((a, b) => a[0].localeCompare(b[0]))) {
    const severities = [...new Set(reported.filter((f) => f.rule === rule).map((f) => f.severity))].join(", ");
    log(row(rule, t, severities));
  }
  log(row("all", s.all, ""));
  log(row("warnings and errors", s.warnings, ""));
  log("");
  log(verdictLine("precision, all findings", precision(s.all), OVERALL_MIN));
  log(verdictLine("precision, warnings and errors", precision(s.warnings), WARNINGS_MIN));
  for (const [rule, t] of s.byRule) {
    if (t.findings >= PER_RULE_FROM) log(verdictLine(`precision, ${rule} (fires ${t.findings}×)`, precision(t), PER_RULE_MIN));
  }
  log("");
  log(`misses found by reading: ${s.found.length + s.stillMissed.length}, reported now ${s.found.length}, still missed ${s.stillMissed.length}`);
  for (const m of s.stillMissed) log(`  still missed  ${m.package}/${m.file}:${m.line} [${m.rule}] ${m.reason}`);
  for (const m of s.found) log(`  found         ${m.package}/${m.file}:${m.line} [${m.rule}]`);
  if (s.gone.length > 0) {
    log("");
    log(`judged findings no longer reported: ${s.gone.length}`);
    for (const f of s.gone) log(`  ${f.verdict.padEnd(9)} ${f.package}/${f.file}:${f.line} [${f.rule}] ${f.reason}`);
  }
  if (s.unjudged.length > 0) {
    log("");
    log(`findings nobody has judged (not counted; judge them in ${path.relative(REPO_ROOT, VERDICTS_FILE)}): ${s.unjudged.length}`);
    for (const f of s.unjudged) log(`  ${f.package}/${f.file}:${f.line} [${f.rule}] ${f.message}`);
  }
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !REALWORLD_PACKAGES.some((p) => p.id === n));
  if (unknown.length > 0) throw new Error(`usage: realworld.js [${REALWORLD_PACKAGES.map((p) => p.id).join("|")} …]`);
  const packages = REALWORLD_PACKAGES.filter((p) => names.length === 0 || names.includes(p.id));
  const verdicts = parseVerdicts(fs.readFileSync(VERDICTS_FILE, "utf8"));
  log(`real-world check: async-lens on ${packages.length} shipped npm packages, findings scored against ${path.relative(REPO_ROOT, VERDICTS_FILE)}`);
  const reported: ReportedFinding[] = [];
  let lines = 0;
  for (const tree of packages) {
    const prepared = prepareTree(tree, CACHE_ROOT, log);
    lines += prepared.lines;
    log(`  ${tree.packageName}@${tree.version}: ${tree.description}`);
    reported.push(...(await findingsOf(prepared)));
  }
  log(`  ${lines.toLocaleString("en-US")} lines of JavaScript in all`);
  const inScope = { ...verdicts, findings: verdicts.findings.filter((f) => packages.some((p) => p.id === f.package)), misses: verdicts.misses.filter((m) => packages.some((p) => p.id === m.package)) };
  printScore(score(reported, inScope), reported);
  return 0;
}

runBench("real-world check", main);
