// Which project and configuration a path is checked under, and the messages a
// user reads when something is wrong: each once, with relative paths, and
// nothing that reads like a clean result beside an error.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as sarif from "sarif";
import { parseJson, runCli, tempProjects, type CliOptions } from "./run-cli";

interface JsonReport {
  files: number;
  diagnostics: { file: string; rule: string; severity: string }[];
}

/** A sync helper in lib/, reached from src/ only through the tsconfig's `paths`. */
const PATHS_PROJECT = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, baseUrl: ".", paths: { "@lib/*": ["lib/*"] } }, include: ["src", "lib"] }),
  "async-lens.config.json": JSON.stringify({ rules: { "blocking-call": "error" } }),
  "lib/io.ts": 'import { readFileSync } from "node:fs";\nexport function readSettings(): string {\n  return readFileSync("settings.json", "utf8");\n}\n',
  "src/h.ts": 'import { readSettings } from "@lib/io";\nexport async function handle(): Promise<string> {\n  return readSettings();\n}\n',
};

const BLOCKING = 'import { readFileSync } from "node:fs";\nexport async function load(): Promise<string> {\n  return readFileSync("x", "utf8");\n}\n';

describe("async-lens check: project scope and messages", function () {
  this.timeout(180_000);
  const project = tempProjects();

  describe("the project a path belongs to", () => {
    for (const target of ["src", "src/h.ts", "."]) {
      it(`checks ${target} under the tsconfig and configuration above it`, () => {
        const dir = project(PATHS_PROJECT);
        const r = runCli(["check", target, "--format", "json"], { cwd: dir });
        assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => [d.file, d.rule, d.severity]), [["src/h.ts", "blocking-call", "error"]], r.stderr);
        assert.equal(r.code, 1);
      });
    }

    it("reports a broken tsconfig above a file or folder (exit 2) and still analyses it", () => {
      const dir = project({ "broken/tsconfig.json": '{ "compilerOptions": { ', "broken/src/a.ts": BLOCKING });
      for (const target of ["broken/src/a.ts", "broken/src"]) {
        const r = runCli(["check", target, "--format", "json"], { cwd: dir });
        assert.equal(r.code, 2, `${target}: ${r.stderr}`);
        assert.match(r.stderr, /error: cannot use broken\/tsconfig\.json/);
        assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => d.file), ["broken/src/a.ts"]);
      }
    });

    it("applies the configuration above a loose folder", () => {
      const dir = project({ "async-lens.config.json": JSON.stringify({ rules: { "blocking-call": "error" } }), "scripts/a.ts": BLOCKING });
      const r = runCli(["check", "scripts", "--format", "json"], { cwd: dir });
      assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => d.severity), ["error"]);
      assert.equal(r.code, 1);
    });
  });

  describe("messages", () => {
    it("--help lists every rule id", () => {
      const r = runCli(["check", "--help"]);
      for (const id of ["blocking-call", "lock-across-await", "lock-not-released", "lock-reentry", "lock-order", "unbounded-queue", "ignored-backpressure", "unbounded-fanout", "unused-suppression"]) {
        assert.match(r.stdout, new RegExp(`\\b${id}\\b`));
      }
    });

    it("suggests the rule meant by an unknown id, on the command line and in the configuration", () => {
      const dir = project({ "async-lens.config.json": JSON.stringify({ rules: { "blocking-cal": "error" } }), "a.ts": BLOCKING });
      assert.match(runCli(["check", ".", "--rule", "unbounded-fanot=off"], { cwd: dir }).stderr, /unknown rule 'unbounded-fanot' \(did you mean 'unbounded-fanout'\?\)/);
      assert.match(runCli(["check", "."], { cwd: dir }).stderr, /unknown rule in the configuration: 'blocking-cal' \(did you mean 'blocking-call'\?\); the rest of the configuration applies/);
    });

    it("gives a broken configuration file's line and column, naming the file once", () => {
      const dir = project({ "async-lens.config.json": '{\n  "rules": {\n    "blocking-call": "error",,\n', "sub/a.ts": BLOCKING });
      const r = runCli(["check", "sub"], { cwd: dir });
      assert.equal(r.code, 2);
      const lines = r.stderr.split("\n").filter((line) => line.includes("async-lens.config.json"));
      assert.deepEqual(lines, ["async-lens: error: async-lens.config.json:3:30: not valid JSON (PropertyNameExpected); using the default configuration."]);
    });

    it("prints only the error for a path that does not exist", () => {
      const r = runCli(["check", "no/such/dir"], { cwd: project({ "a.ts": BLOCKING }) });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "", "no 'No problems found in 0 files' beside the error");
      assert.equal(r.stderr, "async-lens: error: path does not exist: no/such/dir\n");
    });

    it("says once that a read-only file cannot be fixed, while other files are", () => {
      const dir = project({ "locked.ts": BLOCKING, "open.ts": BLOCKING.replace("load", "loadOpen") });
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(path.join(dir, "locked.ts"), 0o444);
      fs.chmodSync(path.join(dir, "open.ts"), 0o666);
      // Root writes any file whatever its mode: as root the CLI runs as the unprivileged "nobody".
      const user: CliOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const r = runCli(["check", ".", "--fix"], { cwd: dir, ...user });
      assert.equal(r.stderr.match(/cannot write the fixes to locked\.ts/g)?.length, 1, r.stderr);
      assert.match(fs.readFileSync(path.join(dir, "open.ts"), "utf8"), /await readFile\(/);
    });

    it("names paths in SARIF notifications relative to the working folder, as in the results", () => {
      const dir = project({ "a.ts": BLOCKING });
      const log = parseJson<sarif.Log>(runCli(["check", "a.ts", "gone.ts", "--format", "sarif"], { cwd: dir }));
      const texts = log.runs[0].invocations?.[0].toolExecutionNotifications?.map((n) => n.message.text);
      assert.deepEqual(texts, ["path does not exist: gone.ts"]);
    });
  });
});
