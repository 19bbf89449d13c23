// `async-lens check --fix` with real rules' fixes on a project with @types/node:
// the files it writes keep their own line endings and type-check.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeProject, projectTypeErrors, removeProject, runCli } from "./run-cli";

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "es2022", module: "commonjs", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], allowJs: true, checkJs: true },
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
      'import { readFileSync } from "node:fs";',
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

});
