// `async-lens check --fix` with real rules' fixes on a project with @types/node:
// the files it writes keep their own line endings, and several fixes that
// import from one module leave one import of it, in code that type-checks.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeProject, projectTypeErrors, removeProject, runCli } from "./run-cli";

const TSCONFIG = JSON.stringify({
  // noUnusedLocals: a fix must not leave the import of what it replaced behind.
  compilerOptions: { target: "es2022", module: "commonjs", strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, types: ["node"], allowJs: true, checkJs: true },
  include: ["src"],
});

/** Runs `check --fix` once on a fresh project and reads back the files it fixed. */
function fixProject(files: Record<string, string>): { fixed: Record<string, string>; typeErrors: string[] } {
  const dir = makeProject({ "tsconfig.json": TSCONFIG, ...files }, { nodeModules: true });
  try {
    const r = runCli(["check", ".", "--fix", "--format", "json"], { cwd: dir });
    assert.match(r.stderr, /applied \d+ edits? to \d+ files?/, r.stderr);
    const fixed = Object.fromEntries(Object.keys(files).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
    return { fixed, typeErrors: projectTypeErrors(dir) };
  } finally {
    removeProject(dir);
  }
}

describe("async-lens check --fix (rule fixes)", function () {
  // Each run starts Node and builds programs with @types/node, more than once with --fix.
  this.timeout(180_000);

  it("writes fixes to a CRLF file with CRLF line endings", () => {
    const source = [
      'import { readFileSync } from "node:fs";',
      "",
      "let syncing = false;",
      "",
      "export async function sync(pull: () => Promise<void>): Promise<void> {",
      "  if (syncing) return;",
      "  syncing = true;",
      "  await pull();",
      "  syncing = false;",
      "}",
      "",
      "export async function readConfig(file: string): Promise<string> {",
      '  return readFileSync(file, "utf8");',
      "}",
      "",
    ];
    const expected = [
      'import { readFile } from "node:fs/promises";',
      "",
      "let syncing = false;",
      "",
      "export async function sync(pull: () => Promise<void>): Promise<void> {",
      "  if (syncing) return;",
      "  syncing = true;",
      "  try {",
      "    await pull();",
      "  } finally {",
      "    syncing = false;",
      "  }",
      "}",
      "",
      "export async function readConfig(file: string): Promise<string> {",
      '  return await readFile(file, "utf8");',
      "}",
      "",
    ];
    const { fixed, typeErrors } = fixProject({ "src/sync.ts": source.join("\r\n") });
    assert.doesNotMatch(fixed["src/sync.ts"], /(?<!\r)\n/, "every line break is CRLF");
    assert.equal(fixed["src/sync.ts"], expected.join("\r\n"));
    assert.deepEqual(typeErrors, []);
  });

  describe("fixes that import from one module", () => {
    let result: ReturnType<typeof fixProject>;
    before(() => {
      result = fixProject({
        // One round: both fixes are made from the same text.
        "src/copy.ts": [
          'import { readFileSync, writeFileSync } from "node:fs";',
          "",
          "export async function copyConfig(from: string, to: string): Promise<void> {",
          '  const text = readFileSync(from, "utf8");',
          "  writeFileSync(to, text.trim());",
          "}",
          "",
        ].join("\n"),
        "src/copy-cjs.js": [
          'const fs = require("fs");',
          "",
          "/** @param {string} from @param {string} to */",
          "async function copyConfig(from, to) {",
          '  const text = fs.readFileSync(from, "utf8");',
          "  fs.writeFileSync(to, text.trim());",
          "}",
          "",
          "module.exports = { copyConfig };",
          "",
        ].join("\n"),
        // Nested calls overlap, so the inner one is fixed in a second round, after the first import exists.
        "src/nested-cjs.js": [
          'const fs = require("fs");',
          "",
          "/** @param {string} from @param {string} to */",
          "async function copyConfig(from, to) {",
          '  fs.writeFileSync(to, fs.readFileSync(from, "utf8"));',
          "}",
          "",
          "module.exports = { copyConfig };",
          "",
        ].join("\n"),
      });
    });

    const importsOf = (text: string) => text.split("\n").filter((line) => line.includes('"node:fs/promises"'));

    it("adds one import naming every function when the fixes are made together", () => {
      assert.deepEqual(importsOf(result.fixed["src/copy.ts"]), ['import { readFile, writeFile } from "node:fs/promises";']);
      assert.deepEqual(importsOf(result.fixed["src/copy-cjs.js"]), ['const { readFile, writeFile } = require("node:fs/promises");']);
    });

    it("adds to the require a previous round wrote", () => {
      assert.deepEqual(importsOf(result.fixed["src/nested-cjs.js"]), ['const { writeFile, readFile } = require("node:fs/promises");']);
      assert.match(result.fixed["src/nested-cjs.js"], /await writeFile\(to, await readFile\(from, "utf8"\)\);/);
    });

    it("removes the imports the fixes left without a use", () => {
      assert.doesNotMatch(result.fixed["src/copy.ts"], /from "node:fs";/);
      assert.doesNotMatch(result.fixed["src/copy-cjs.js"], /require\("fs"\)/);
    });

    it("leaves code that type-checks", () => {
      assert.match(result.fixed["src/copy.ts"], /const text = await readFile\(from, "utf8"\);\n {2}await writeFile\(to, text\.trim\(\)\);/);
      assert.deepEqual(result.typeErrors, []);
    });
  });
});
