// The built CLI, run as a child process: options, exit codes, output shapes
// and --fix, on throwaway projects. Findings come from the unused-suppression
// check, which the core always runs, so these tests do not depend on any rule.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseJson, runCli, tempProjects } from "./run-cli";

const UNUSED = "// async-lens-ignore-next-line -- nothing to hide here\n";
const CLEAN = "export async function total(xs: number[]): Promise<number> {\n  return xs.reduce((a, b) => a + b, 0);\n}\n";

describe("async-lens check (CLI)", function () {
  // Each run starts Node and builds a program with @types/node: a few seconds, more on a busy machine.
  this.timeout(180_000);
  const project = tempProjects();

  describe("usage", () => {
    it("prints help and exits 0", () => {
      const r = runCli(["check", "--help"]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage: async-lens check/);
      assert.match(r.stdout, /--max-warnings/);
    });

    for (const [args, message] of [
      [["--format", "xml"], /unknown format 'xml'/],
      [["--frobnicate"], /unknown option '--frobnicate'/],
      [["--rule", "no-such-rule=error"], /unknown rule 'no-such-rule'/],
      [["--rule", "unused-suppression=fatal"], /unknown severity 'fatal'/],
      [["--rule", "unused-suppression"], /--rule expects id=severity/],
      [["--max-warnings", "many"], /--max-warnings expects a whole number/],
      [["--project"], /--project needs a value/],
    ] as const) {
      it(`exits 2 on ${args.join(" ")}`, () => {
        const r = runCli(["check", ".", ...args], { cwd: project({ "a.ts": CLEAN }) });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, "", "nothing is analysed after a usage error");
      });
    }

    it("exits 2 on an unknown command", () => {
      const r = runCli(["lint"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown command 'lint'/);
    });

    it("prints its version", () => {
      const r = runCli(["--version"]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), JSON.parse(fs.readFileSync(path.join(__dirname, "../../../package.json"), "utf8")).version);
    });
  });

  describe("exit codes", () => {
    it("exits 0 and says so when clean", () => {
      const r = runCli(["check", "."], { cwd: project({ "a.ts": CLEAN, "b.js": "module.exports = async () => 1;\n" }) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /No problems found in 2 files/);
      assert.equal(r.stderr, "");
    });

    it("tolerates warnings unless --max-warnings is exceeded", () => {
      const dir = project({ "a.ts": UNUSED + CLEAN });
      assert.equal(runCli(["check", "."], { cwd: dir }).code, 0);
      assert.equal(runCli(["check", ".", "--max-warnings", "1"], { cwd: dir }).code, 0);
      assert.equal(runCli(["check", ".", "--max-warnings", "0"], { cwd: dir }).code, 1);
      assert.equal(runCli(["check", ".", "--max-warnings=-1"], { cwd: dir }).code, 0);
    });

    it("exits 1 on an error finding, and --rule sets the severity", () => {
      const dir = project({ "a.ts": UNUSED + CLEAN });
      const asError = runCli(["check", ".", "--rule", "unused-suppression=error"], { cwd: dir });
      assert.equal(asError.code, 1);
      assert.match(asError.stdout, /a\.ts:1:4 {2}error {2}This async-lens-ignore directive suppresses nothing/);
      const off = runCli(["check", ".", "--rule", "unused-suppression=off", "--max-warnings", "0"], { cwd: dir });
      assert.equal(off.code, 0);
      assert.match(off.stdout, /No problems found/);
    });

    it("information findings never fail the check", () => {
      const r = runCli(["check", ".", "--rule", "unused-suppression=information", "--max-warnings", "0"], { cwd: project({ "a.ts": UNUSED + CLEAN }) });
      assert.equal(r.code, 0);
      assert.match(r.stdout, /1 problem \(0 errors, 0 warnings, 1 info\)/);
    });

    it("takes rule severities from async-lens.config.json at the project root", () => {
      const dir = project({ "a.ts": UNUSED + CLEAN, "async-lens.config.json": JSON.stringify({ rules: { "unused-suppression": "error" } }) });
      assert.equal(runCli(["check", "."], { cwd: dir }).code, 1);
      // The command line wins over the file.
      assert.equal(runCli(["check", ".", "--rule", "unused-suppression=warning"], { cwd: dir }).code, 0);
    });
  });

  describe("--format json", () => {
    it("prints exactly the documented shape, with 1-based positions and paths relative to the working folder", () => {
      const dir = project({ "src/a.ts": `${CLEAN}${UNUSED}export const x = 1;\n` });
      const r = runCli(["check", "src", "--format", "json"], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(parseJson(r), {
        version: 1,
        files: 1,
        diagnostics: [
          {
            file: "src/a.ts",
            line: 4,
            column: 4,
            endLine: 4,
            endColumn: 55,
            rule: "unused-suppression",
            severity: "warning",
            message: "This async-lens-ignore directive suppresses nothing; remove it so it does not hide a future finding.",
            related: [],
            fixes: [{ title: "Remove the unused async-lens-ignore directive" }],
          },
        ],
      });
    });

    it("prints an empty list when clean, and keeps problems on stderr", () => {
      const dir = project({ "a.ts": CLEAN });
      const r = runCli(["check", "a.ts", "missing.ts", "--format", "json"], { cwd: dir });
      assert.equal(r.code, 2);
      assert.deepEqual(parseJson(r), { version: 1, files: 1, diagnostics: [] });
      assert.match(r.stderr, /path does not exist: missing\.ts/);
    });
  });

  describe("--format pretty", () => {
    const dir = () => project({ "a.ts": UNUSED + CLEAN });

    it("prints file:line:col, severity, message and rule, then a summary, without colour in a pipe", () => {
      const r = runCli(["check", "."], { cwd: dir() });
      const lines = r.stdout.split("\n");
      assert.equal(lines[0], "a.ts:1:4  warning  This async-lens-ignore directive suppresses nothing; remove it so it does not hide a future finding.  unused-suppression");
      assert.match(r.stdout, /✖ 1 problem \(0 errors, 1 warning\) in 1 file\.\n {2}1 of them can be fixed with the --fix option\.\n$/);
      assert.doesNotMatch(r.stdout, /\u001b\[/);
    });

    it("colours with FORCE_COLOR, and NO_COLOR wins over it", () => {
      const d = dir();
      assert.match(runCli(["check", "."], { cwd: d, env: { FORCE_COLOR: "1" } }).stdout, /\u001b\[33mwarning\u001b\[39m/);
      assert.doesNotMatch(runCli(["check", "."], { cwd: d, env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout, /\u001b\[/);
    });

    it("draws no progress line when stderr is not a terminal", () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 60; i++) files[`f${i}.ts`] = CLEAN;
      const r = runCli(["check", "."], { cwd: project(files) });
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /in 60 files/);
    });
  });

  describe("--fix", () => {
    it("applies the preferred fixes to the files, re-analyses and reports what remains", () => {
      const dir = project({
        "a.ts": `${UNUSED}${CLEAN}export const y = 2; // async-lens-ignore-next-line\n/* async-lens-ignore-file -- generated */ export const z = 3;\n`,
      });
      const r = runCli(["check", ".", "--fix", "--format", "json"], { cwd: dir });
      // A directive alone on its line goes with its line; one beside code, with the spaces before it.
      assert.equal(fs.readFileSync(path.join(dir, "a.ts"), "utf8"), `${CLEAN}export const y = 2;\n export const z = 3;\n`);
      assert.deepEqual(parseJson(r), { version: 1, files: 1, diagnostics: [] });
      assert.match(r.stderr, /applied 3 edits to 1 file/);
      assert.equal(r.code, 0);
      const again = runCli(["check", ".", "--fix"], { cwd: dir });
      assert.doesNotMatch(again.stderr, /applied/, "a second run finds nothing left to fix");
    });

    it("leaves files alone without --fix", () => {
      const dir = project({ "a.ts": UNUSED + CLEAN });
      runCli(["check", "."], { cwd: dir });
      assert.equal(fs.readFileSync(path.join(dir, "a.ts"), "utf8"), UNUSED + CLEAN);
    });
  });
});
