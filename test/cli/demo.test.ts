// End to end: the bundled demo (examples/demo) through the built CLI. Every rule
// fires on its hazard, the correct code in src/good/ stays silent, and --fix
// on a copy leaves code that still type-checks and needs no further fix.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../server/src/core/rules";
import { copyProject, parseJson, projectTypeErrors, REPO_ROOT, removeProject, runCli } from "./run-cli";

interface JsonReport {
  files: number;
  diagnostics: { file: string; line: number; rule: string; severity: string; related: unknown[] }[];
}

describe("the demo project (end to end)", function () {
  this.timeout(300_000);
  let report: JsonReport;
  let code: number | null;

  before(() => {
    const r = runCli(["check", "examples/demo", "--format", "json"], { cwd: REPO_ROOT });
    assert.equal(r.stderr, "", "the demo loads without problems");
    report = parseJson<JsonReport>(r);
    code = r.code;
  });

  it("type-checks as it is", () => {
    assert.deepEqual(projectTypeErrors(path.join(REPO_ROOT, "examples/demo")), []);
  });

  for (const rule of RULES) {
    it(`shows ${rule.meta.id}`, () => {
      assert.ok(report.diagnostics.some((d) => d.rule === rule.meta.id), `${rule.meta.id} does not fire on the demo`);
    });
  }

  it("blocks through the helper chain across files, with each hop as related information", () => {
    const health = report.diagnostics.find((d) => d.file === "examples/demo/src/routes/health.ts" && d.rule === "blocking-call");
    assert.ok(health, "health() → versionLabel() → gitRevision() → execSync is found");
    assert.ok(health.related.length >= 2, "the chain is shown hop by hop");
  });

  it("stays silent on the correct code", () => {
    assert.deepEqual(report.diagnostics.filter((d) => d.file.startsWith("examples/demo/src/good/")), []);
  });

  it("exits 1, since lock-reentry is an error", () => {
    assert.ok(report.diagnostics.some((d) => d.severity === "error"));
    assert.equal(code, 1);
  });

  it("--fix on a copy leaves code that type-checks, and a second run has nothing left to fix", () => {
    const copy = copyProject(path.join(REPO_ROOT, "examples/demo"));
    try {
      const before = fs.readFileSync(path.join(copy, "src/routes/report.ts"), "utf8");
      const first = runCli(["check", ".", "--fix", "--format", "json"], { cwd: copy });
      assert.match(first.stderr, /applied \d+ edits? to \d+ files?/);
      assert.notEqual(fs.readFileSync(path.join(copy, "src/routes/report.ts"), "utf8"), before, "the blocking read was fixed");
      const left = parseJson<JsonReport>(first);
      assert.ok(left.diagnostics.length < report.diagnostics.length, "fewer findings remain");
      assert.deepEqual(projectTypeErrors(copy), []);
      const second = runCli(["check", ".", "--fix"], { cwd: copy });
      assert.doesNotMatch(second.stderr, /applied/);
    } finally {
      removeProject(copy);
    }
  });
});
