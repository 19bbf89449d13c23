// Accuracy of the rules on an independent corpus of reduced real-world code
// (test/fixtures/corpus, see its README): every case is a program of its own,
// analysed with all rules and the default configuration, and compared with its
// `~~~ [rule]` markers. A finding counts as a true positive when its file, rule
// and start line match a marker (columns are the fixture tests' business).
// The thresholds are the product's: precision ≥ 0.9 and recall ≥ 0.8 for each
// of the three hazards.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { analyzeProgram } from "../server/src/core/analyzer";
import { DEFAULT_CONFIG } from "../server/src/core/config";
import { createInMemoryProgram, INFERRED_OPTIONS, isSourceFileName } from "../server/src/core/project";
import type { Hazard } from "../server/src/core/rule";
import { RULES } from "../server/src/core/rules";
import type { Finding, Problem } from "../server/src/core/types";
import { fixtureOptions, FIXTURES_ROOT, listSources, parseExpectations, type Expectation } from "./support/fixtures";

const CORPUS_ROOT = path.join(FIXTURES_ROOT, "corpus");

/** The rules that find a hazard, by their `meta.hazard`; the check of Async Lens's own comments is not scored. */
const HAZARD_OF_RULE: Record<string, Hazard> = Object.fromEntries(RULES.flatMap((r) => (r.meta.hazard ? [[r.meta.id, r.meta.hazard]] : [])));
const RULE_IDS = Object.keys(HAZARD_OF_RULE);
const HAZARDS = [...new Set(Object.values(HAZARD_OF_RULE))];
const MIN_PRECISION = 0.9;
const MIN_RECALL = 0.8;
/** Every case names the public file it was reduced from. */
const SOURCE_HEADER = /^\s*(\/\/|\/\*|\*)\s*Source:\s*\S/m;

interface Case {
  /** Path relative to the corpus root, for reports. */
  name: string;
  root: string;
  files: string[];
  options: ts.CompilerOptions;
}

interface Outcome {
  rule: string;
  /** "file:line" relative to the corpus root, 1-based line. */
  where: string;
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

/** A file directly under a hazard folder is a case; a folder is one case made of all its files. */
function loadCases(): Case[] {
  const cases: Case[] = [];
  for (const hazard of fs.readdirSync(CORPUS_ROOT, { withFileTypes: true })) {
    if (!hazard.isDirectory()) continue;
    const hazardDir = path.join(CORPUS_ROOT, hazard.name);
    for (const entry of fs.readdirSync(hazardDir, { withFileTypes: true })) {
      const full = path.join(hazardDir, entry.name);
      const name = path.relative(CORPUS_ROOT, full);
      if (entry.isDirectory()) cases.push({ name, root: full, files: listSources(full), options: fixtureOptions(full) });
      else if (entry.isFile() && isSourceFileName(entry.name)) cases.push({ name, root: hazardDir, files: [full], options: INFERRED_OPTIONS });
    }
  }
  return cases.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Each case's program reuses the library files (@types/node, TypeScript's lib)
 * its predecessor parsed: parsing them again for every case would make the
 * corpus take minutes. The language service shares them the same way.
 */
let previousProgram: ts.Program | undefined;

function where(file: string, line0: number): string {
  return `${path.relative(CORPUS_ROOT, file)}:${line0 + 1}`;
}

function analyseCase(c: Case): { expected: Expectation[]; findings: Finding[]; problems: Problem[] } {
  const sources: Record<string, string> = {};
  for (const f of c.files) sources[f] = fs.readFileSync(f, "utf8");
  const expected = c.files.flatMap((f) => parseExpectations(f, sources[f]));
  const program = createInMemoryProgram(sources, c.options, previousProgram);
  previousProgram = program;
  const files = program.getSourceFiles().filter((sf) => path.resolve(sf.fileName) in sources);
  const result = analyzeProgram(program, files, { config: DEFAULT_CONFIG, root: c.root });
  return { expected, findings: result.findings.filter((f) => f.rule in HAZARD_OF_RULE), problems: result.problems };
}

/** Pairs findings with markers on file, rule and start line. */
function compare(expected: Expectation[], findings: Finding[]) {
  const unmatched = [...findings];
  const hits: Outcome[] = [];
  const misses: Outcome[] = [];
  for (const e of expected) {
    const i = unmatched.findIndex((f) => f.rule === e.rule && f.range.start.line === e.line && path.resolve(f.file) === path.resolve(e.file));
    if (i >= 0) {
      unmatched.splice(i, 1);
      hits.push({ rule: e.rule, where: where(e.file, e.line) });
    } else {
      misses.push({ rule: e.rule, where: where(e.file, e.line) });
    }
  }
  const falseAlarms = unmatched.map((f) => ({ rule: f.rule, where: where(f.file, f.range.start.line), message: f.message }));
  return { hits, misses, falseAlarms };
}

const ratio = (num: number, den: number) => (den === 0 ? 1 : num / den);
const pct = (x: number) => x.toFixed(2);

function table(title: string, keys: string[], tallies: Map<string, Tally>): string {
  const rows = keys.map((k) => {
    const t = tallies.get(k) ?? { tp: 0, fp: 0, fn: 0 };
    return `  ${k.padEnd(22)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}   ${pct(ratio(t.tp, t.tp + t.fp)).padStart(9)} ${pct(ratio(t.tp, t.tp + t.fn)).padStart(6)}`;
  });
  return [`  ${title.padEnd(22)}   TP   FP   FN   precision recall`, ...rows].join("\n");
}

describe("accuracy on the real-world corpus", function () {
  const cases = loadCases();
  const byRule = new Map<string, Tally>(RULE_IDS.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
  const byHazard = new Map<string, Tally>(HAZARDS.map((h) => [h, { tp: 0, fp: 0, fn: 0 }]));
  const misses: Outcome[] = [];
  const falseAlarms: (Outcome & { message: string })[] = [];
  const problems: Problem[] = [];

  before(function () {
    // One program per case, each loading @types/node: about a second each.
    this.timeout(20 * 60_000);
    for (const c of cases) {
      const result = analyseCase(c);
      problems.push(...result.problems);
      const { hits, misses: m, falseAlarms: f } = compare(result.expected, result.findings);
      for (const h of hits) byRule.get(h.rule)!.tp++;
      for (const x of m) byRule.get(x.rule)!.fn++;
      for (const x of f) byRule.get(x.rule)!.fp++;
      misses.push(...m);
      falseAlarms.push(...f);
    }
    for (const [rule, t] of byRule) {
      const h = byHazard.get(HAZARD_OF_RULE[rule])!;
      h.tp += t.tp;
      h.fp += t.fp;
      h.fn += t.fn;
    }
    const report = [
      `accuracy corpus: ${cases.length} cases`,
      table("rule", RULE_IDS, byRule),
      table("hazard", HAZARDS, byHazard),
      `  misses (${misses.length}):`,
      ...misses.map((m) => `    ${m.where} [${m.rule}]`),
      `  false alarms (${falseAlarms.length}):`,
      ...falseAlarms.map((f) => `    ${f.where} [${f.rule}] ${f.message}`),
    ];
    console.log(report.join("\n"));
  });

  it("has labelled cases with their sources, positive and negative, for every hazard", () => {
    for (const c of cases) {
      const texts = c.files.map((f) => fs.readFileSync(f, "utf8"));
      assert.ok(texts.some((t) => SOURCE_HEADER.test(t)), `${c.name} does not name the source it was reduced from`);
      for (const f of c.files) {
        for (const e of parseExpectations(f, fs.readFileSync(f, "utf8"))) assert.ok(e.rule in HAZARD_OF_RULE, `${where(f, e.line)}: unknown rule ${e.rule}`);
      }
    }
    for (const hazard of HAZARDS) {
      const mine = cases.filter((c) => c.name.startsWith(hazard + path.sep));
      const positive = mine.filter((c) => c.files.some((f) => parseExpectations(f, fs.readFileSync(f, "utf8")).length > 0));
      assert.ok(positive.length > 0 && positive.length < mine.length, `${hazard}: needs both positive and negative cases`);
    }
  });

  it("analyses every case without internal problems", () => {
    assert.deepEqual(problems.map((p) => p.message), []);
  });

  for (const hazard of HAZARDS) {
    it(`${hazard}: precision ≥ ${MIN_PRECISION}`, () => {
      const t = byHazard.get(hazard)!;
      const p = ratio(t.tp, t.tp + t.fp);
      const alarms = falseAlarms.filter((f) => HAZARD_OF_RULE[f.rule] === hazard).map((f) => `${f.where} [${f.rule}]`);
      assert.ok(p >= MIN_PRECISION, `precision ${pct(p)} < ${MIN_PRECISION}; false alarms:\n  ${alarms.join("\n  ")}`);
    });
    it(`${hazard}: recall ≥ ${MIN_RECALL}`, () => {
      const t = byHazard.get(hazard)!;
      const r = ratio(t.tp, t.tp + t.fn);
      const missed = misses.filter((m) => HAZARD_OF_RULE[m.rule] === hazard).map((m) => `${m.where} [${m.rule}]`);
      assert.ok(r >= MIN_RECALL, `recall ${pct(r)} < ${MIN_RECALL}; misses:\n  ${missed.join("\n  ")}`);
    });
  }
});
