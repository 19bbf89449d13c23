// What a one-file check loads: a git hook runs `async-lens check` on a single
// file, where start-up is most of the time. The figures are in `npm run bench`;
// these tests pin down the causes that were found: every global @types
// package parsed for a loose file, and libraries loaded for a configuration
// file that does not exist.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { loadProject } from "../../server/src/core/project";
import { makeProject, removeProject, REPO_ROOT } from "./run-cli";

const HOOK_FILE = 'import { readFileSync } from "node:fs";\n\nexport async function load(path: string): Promise<string> {\n  return readFileSync(path, "utf8").trim();\n}\n';

describe("a one-file check's start-up", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = makeProject({ "hook.ts": HOOK_FILE }, { nodeModules: true })));
  after(() => removeProject(dir));

  it("parses Node's types for a loose file, not every other global @types package", () => {
    const { program } = loadProject({ paths: ["hook.ts"], cwd: dir });
    const names = program.getSourceFiles().map((f) => f.fileName);
    assert.ok(names.some((n) => n.includes("/@types/node/")), "Node's types are there");
    const globalTypes = new Set(names.map((n) => /\/@types\/([^/]+)\//.exec(n)?.[1]).filter((t) => t !== undefined));
    assert.deepEqual([...globalTypes], ["node"]);
  });

  it("loads no JSON schema validator or JSON parser when there is no configuration file", () => {
    const script = `
      const { runCheck } = require(${JSON.stringify(path.join(REPO_ROOT, "out/server/src/cli/check.js"))});
      const sink = { isTTY: false, write: () => true };
      runCheck(["hook.ts"], { cwd: process.cwd(), env: {}, stdout: sink, stderr: sink }).then((code) => {
        const loaded = Object.keys(require.cache).filter((f) => /node_modules\\/(ajv|jsonc-parser)\\//.test(f));
        process.stdout.write(JSON.stringify({ code, loaded }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" })) as { code: number; loaded: string[] };
    assert.equal(out.code, 0);
    assert.deepEqual(out.loaded, []);
  });
});
