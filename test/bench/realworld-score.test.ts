import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REALWORLD_PACKAGES } from "./realworld-packages";
import { parseVerdicts, precision, score, type ReportedFinding, type Verdicts } from "./realworld-score";
import { REPO_ROOT } from "./tools";

const finding = (file: string, line: number, rule: string, severity = "warning", endLine = line, related: ReportedFinding["related"] = []): ReportedFinding => ({
  package: "p",
  file,
  line,
  endLine,
  rule,
  severity,
  message: "m",
  related,
});

const VERDICTS: Verdicts = {
  findings: [
    { package: "p", file: "a.js", line: 1, rule: "r", verdict: "real", reason: "x" },
    { package: "p", file: "a.js", line: 2, rule: "r", verdict: "false", reason: "x" },
    { package: "p", file: "a.js", line: 3, rule: "r", verdict: "debatable", reason: "x" },
    { package: "p", file: "b.js", line: 9, rule: "q", verdict: "false", reason: "x" },
  ],
  misses: [
    { package: "p", file: "c.js", line: 5, rule: "r", reason: "x" },
    { package: "p", file: "c.js", line: 50, rule: "r", reason: "x" },
  ],
};

describe("real-world check: scoring", () => {
  it("counts real against false, leaves debatable and unjudged findings out of precision, and lists them", () => {
    const s = score([finding("a.js", 1, "r"), finding("a.js", 2, "r", "information"), finding("a.js", 3, "r"), finding("a.js", 4, "r")], VERDICTS);
    assert.deepEqual(s.byRule.get("r"), { findings: 4, real: 1, false: 1, debatable: 1, unjudged: 1 });
    assert.equal(precision(s.all), 0.5);
    // The false one is shown as information, so the warnings are all right.
    assert.equal(precision(s.warnings), 1);
    assert.deepEqual(s.unjudged.map((f) => f.line), [4]);
    assert.deepEqual(s.gone.map((f) => f.file), ["b.js"]);
  });

  it("counts a miss as found when a finding of its rule covers its line", () => {
    const s = score([finding("c.js", 3, "r", "warning", 6), finding("c.js", 50, "q")], VERDICTS);
    assert.deepEqual(s.found.map((m) => m.line), [5]);
    assert.deepEqual(s.stillMissed.map((m) => m.line), [50]);
  });

  it("counts a miss as found when a finding of its rule leads to its line (a chain's blocking call)", () => {
    const s = score([finding("d.js", 9, "r", "warning", 9, [{ file: "c.js", line: 50 }]), finding("d.js", 2, "q", "warning", 2, [{ file: "c.js", line: 5 }])], VERDICTS);
    assert.deepEqual(s.found.map((m) => m.line), [50]);
    assert.deepEqual(s.stillMissed.map((m) => m.line), [5]);
  });

  it("has no precision without a real or false verdict", () => {
    assert.equal(precision(score([finding("a.js", 3, "r")], VERDICTS).all), undefined);
  });

  it("rejects a verdict without a reason, an unknown verdict and a finding judged twice", () => {
    const one = { package: "p", file: "a.js", line: 1, rule: "r", verdict: "real", reason: "x" };
    assert.throws(() => parseVerdicts(JSON.stringify({ findings: [{ ...one, reason: " " }], misses: [] })), /needs its reason/);
    assert.throws(() => parseVerdicts(JSON.stringify({ findings: [{ ...one, verdict: "maybe" }], misses: [] })), /verdict must be one of/);
    assert.throws(() => parseVerdicts(JSON.stringify({ findings: [one, one], misses: [] })), /judged twice/);
    assert.throws(() => parseVerdicts(JSON.stringify({ findings: [], misses: [{ ...one, line: 0 }] })), /'line' must be a line number/);
  });

  it("keeps a committed verdicts file the scorer accepts, about the packages it checks", () => {
    const verdicts = parseVerdicts(fs.readFileSync(path.join(REPO_ROOT, "test", "bench", "realworld-verdicts.json"), "utf8"));
    const ids = new Set(REALWORLD_PACKAGES.map((p) => p.id));
    for (const entry of [...verdicts.findings, ...verdicts.misses]) assert.ok(ids.has(entry.package), `${entry.package} is not a real-world package`);
  });
});
