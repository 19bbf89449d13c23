// What a one-file check loads: a git hook runs `async-lens check` on a single
// file, where start-up is most of the time. The figures are in `npm run bench`;
// these tests pin down the causes that were found: the DOM's declarations and
// every global @types package parsed for a loose file, and libraries loaded
// for a configuration file that does not exist.
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

  it("parses Node's types for a loose file, not the DOM or every other global @types package", () => {
    const { program } = loadProject({ paths: ["hook.ts"], cwd: dir });
    const names = program.getSourceFiles().map((f) => f.fileName);
    assert.ok(names.some((n) => n.includes("/@types/node/")), "Node's types are there");
    assert.ok(names.some((n) => n.endsWith("lib.es2022.d.ts")));
    assert.deepEqual(names.filter((n) => /lib\.dom/.test(n)), []);
    const globalTypes = new Set(names.map((n) => /\/@types\/([^/]+)\//.exec(n)?.[1]).filter((t) => t !== undefined));
    assert.deepEqual([...globalTypes], ["node"]);
  });

  it("keeps the DOM for a loose file that uses a browser global such as navigator.locks", () => {
    const browser = makeProject({ "tabs.ts": 'export async function tabs(work: () => Promise<void>): Promise<void> {\n  await navigator.locks.request("session", work);\n}\n' });
    try {
      const { program } = loadProject({ paths: ["tabs.ts"], cwd: browser });
      assert.ok(program.getSourceFiles().some((f) => /lib\.dom\.d\.ts$/.test(f.fileName)));
    } finally {
      removeProject(browser);
    }
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
