// Bad input gets a clear message and never a crash: everything readable is
// still analysed, and only usage and configuration errors exit 2.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseJson, runCli, tempProjects, type CliOptions } from "./run-cli";

const CLEAN = "export async function total(xs: number[]): Promise<number> {\n  return xs.reduce((a, b) => a + b, 0);\n}\n";
const UNUSED = "// async-lens-ignore-next-line\nexport const x = 1;\n";

interface JsonReport {
  files: number;
  diagnostics: { file: string; rule: string }[];
}

function canRun(options: CliOptions): boolean {
  try {
    return runCli(["check", "--help"], options).code === 0;
  } catch {
    return false;
  }
}

function assertNoCrash(r: { stderr: string }): void {
  assert.doesNotMatch(r.stderr, /internal error|TypeError|RangeError|at .+\(.+:\d+:\d+\)/, `the CLI crashed:\n${r.stderr}`);
}

describe("async-lens check on bad input", function () {
  this.timeout(180_000);
  const project = tempProjects();

  it("analyses files with syntax errors as far as they parse", () => {
    const dir = project({ "broken.ts": `${UNUSED}export async function f( {\n  const x = ;\n  if (\n`, "b.js": "const = require(;\n" });
    const r = runCli(["check", ".", "--format", "json"], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.code, 0, r.stderr);
    const report = parseJson<JsonReport>(r);
    assert.equal(report.files, 2);
    assert.deepEqual(report.diagnostics.map((d) => [d.file, d.rule]), [["broken.ts", "unused-suppression"]]);
  });

  it("analyses a 5 MB generated file", () => {
    const chunks: string[] = [UNUSED];
    for (let i = 0; chunks.join("").length < 5 * 1024 * 1024; i++) {
      const block: string[] = [];
      for (let j = 0; j < 500; j++) block.push(`export const value${i}_${j} = { id: ${j}, name: "item-${i}-${j}", tags: ["a", "b"] };`);
      block.push(`export async function load${i}(n: number): Promise<number> { return n + ${i}; }`);
      chunks.push(block.join("\n"), "\n");
    }
    const dir = project({ "generated.ts": chunks.join(""), "small.ts": CLEAN });
    const r = runCli(["check", ".", "--format", "json"], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.code, 0, r.stderr);
    const report = parseJson<JsonReport>(r);
    assert.equal(report.files, 2);
    assert.deepEqual(report.diagnostics.map((d) => d.file), ["generated.ts"]);
  });

  it("skips a binary file named .ts with a clear message and analyses the rest", () => {
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 37) % 256;
    const dir = project({ "video.ts": binary, "ok.ts": UNUSED });
    const r = runCli(["check", ".", "--format", "json"], { cwd: dir });
    assertNoCrash(r);
    assert.match(r.stderr, /video\.ts: it is a binary file, not source text/);
    assert.equal(r.code, 1, "a file that could not be analysed makes the check fail, but it is no usage error");
    assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => d.file), ["ok.ts"]);
  });

  it("reports a --project that does not exist (exit 2) and still analyses the paths", () => {
    const dir = project({ "a.ts": UNUSED });
    const r = runCli(["check", ".", "--project", "nope/tsconfig.json", "--format", "json"], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tsconfig not found: nope\/tsconfig\.json/);
    assert.equal(parseJson<JsonReport>(r).diagnostics.length, 1);
  });

  it("reports a tsconfig that is not valid JSON (exit 2) and analyses the folder as loose files", () => {
    const dir = project({ "tsconfig.json": '{ "compilerOptions": { "strict": true, ', "src/a.ts": UNUSED });
    const r = runCli(["check", ".", "--format", "json"], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: cannot use tsconfig\.json/);
    assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => d.file), ["src/a.ts"]);
  });

  it("reports unknown compiler options in a tsconfig (exit 2) and still analyses the project", () => {
    const dir = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { strictest: true }, include: ["src"] }), "src/a.ts": UNUSED });
    const r = runCli(["check", ".", "--format", "json"], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /problems in tsconfig\.json: .*strictest/);
    assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => d.file), ["src/a.ts"]);
  });

  for (const [what, config, message] of [
    ["not valid JSON", '{ "rules": { "unused-suppression": "error" ', /error: async-lens\.config\.json:1:44: not valid JSON/],
    ["against the schema", JSON.stringify({ rules: { "unused-suppression": "loud" }, chainDepth: -1 }), /error: async-lens\.config\.json: the configuration is invalid: .*must be equal to one of the allowed values/],
    ["naming an unknown rule", JSON.stringify({ rules: { "blocking-cal": "error" } }), /unknown rule in the configuration: 'blocking-cal'/],
  ] as const) {
    it(`reports a config file ${what} (exit 2) and still analyses`, () => {
      const dir = project({ "async-lens.config.json": config, "a.ts": UNUSED });
      const r = runCli(["check", ".", "--format", "json"], { cwd: dir });
      assertNoCrash(r);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(parseJson<JsonReport>(r).diagnostics.length, 1, "the file is still analysed");
    });
  }

  it("reports a path that does not exist (exit 2) and analyses the others", () => {
    const dir = project({ "a.ts": UNUSED });
    const r = runCli(["check", "a.ts", "no/such/file.ts"], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: path does not exist: no\/such\/file\.ts/);
    assert.match(r.stdout, /a\.ts:1:4 {2}warning/);
  });

  it("exits 2 when there is nothing to check", () => {
    const dir = project({ "notes.md": "# nothing here\n" });
    const r = runCli(["check", "."], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no TypeScript or JavaScript files to check/);
  });

  it("reports an unreadable file and analyses the rest", () => {
    const dir = project({ "secret.ts": UNUSED, "ok.ts": UNUSED });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, "secret.ts"), 0o000);
    // Root reads any file whatever its mode, so as root the CLI runs as the unprivileged "nobody",
    // where nobody can run it at all (the checkout may sit in a folder only root can enter).
    const nobody: CliOptions = { uid: 65534, gid: 65534 };
    const user: CliOptions = process.getuid?.() === 0 && canRun({ cwd: dir, ...nobody }) ? nobody : {};
    const probe = spawnSync(process.execPath, ["-e", `require("fs").readFileSync(${JSON.stringify(path.join(dir, "secret.ts"))})`], { ...user, stdio: "ignore" });
    const reallyUnreadable = probe.status !== 0;
    const r = runCli(["check", ".", "--format", "json"], { cwd: dir, ...user });
    assertNoCrash(r);
    const files = parseJson<JsonReport>(r).diagnostics.map((d) => d.file);
    if (reallyUnreadable) {
      assert.match(r.stderr, /error: cannot read secret\.ts: EACCES/);
      assert.equal(r.code, 1);
      assert.deepEqual(files, ["ok.ts"]);
    } else {
      // Only where permissions cannot stop this process (a privileged container) is the file simply analysed.
      assert.deepEqual(files, ["ok.ts", "secret.ts"]);
    }
  });
});
