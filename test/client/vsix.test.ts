import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { JsonReport } from "../../server/src/cli/format-json";
import { readZip, type ZipEntry } from "./zip";

const ROOT = path.resolve(__dirname, "../../..");
const VSIX = path.join(ROOT, "async-lens.vsix");

describe("the packaged extension (npm run package)", () => {
  let entries: ZipEntry[];
  let unpacked: string;

  before(function () {
    this.timeout(5 * 60_000);
    fs.rmSync(VSIX, { force: true });
    const result = spawnSync("npm", ["run", "package", "--silent"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(result.status, 0, `npm run package failed:\n${result.stdout}${result.stderr}`);
    const archive = fs.readFileSync(VSIX);
    console.log(`      async-lens.vsix: ${(archive.length / 1024).toFixed(0)} kB`);
    entries = readZip(archive);
    // Outside the repository, so nothing can come from its node_modules.
    unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-vsix-"));
    for (const entry of entries) {
      const file = path.join(unpacked, entry.name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, entry.data());
    }
  });

  after(() => fs.rmSync(unpacked, { recursive: true, force: true }));

  it("holds the client, the server, the runtime, the grammars and the config schema", () => {
    const names = entries.map((e) => e.name);
    for (const file of [
      "extension/package.json",
      "extension/dist/client.js",
      "extension/dist/server.js",
      "extension/dist/runtime/register.js",
      "extension/dist/runtime/esm-loader.js",
      "extension/dist/runtime/worker/collector.js",
      "extension/dist/webview/panel.js",
      "extension/dist/webview/panel.css",
      "extension/client/media/task-inspector.svg",
      "extension/syntaxes/async-lens-directives.tmLanguage.json",
      "extension/syntaxes/async-lens-output.tmLanguage.json",
      "extension/server/schema/async-lens.config.schema.json",
    ]) {
      assert.ok(names.includes(file), `${file} is missing from:\n${names.join("\n")}`);
    }
  });

  it("holds nothing from test/, no sources, no tsc output and no node_modules", () => {
    const strays = entries.map((e) => e.name).filter((n) => /^extension\/(test|out|node_modules|client\/src|server\/src|runtime\/src)\/|\.ts$|\.map$/.test(n));
    assert.deepEqual(strays, []);
  });

  it("runs on its own: the bundled server analyses a file, the bundled runtime records a program", () => {
    const server = path.join(unpacked, "extension/dist/server.js");
    const check = spawnSync(process.execPath, [server, "check", "src/routes/report.ts", "--format", "json"], { cwd: path.join(ROOT, "examples/demo"), encoding: "utf8" });
    assert.equal(check.status, 0, check.stderr); // warnings only
    assert.deepEqual((JSON.parse(check.stdout) as JsonReport).diagnostics.map((d) => d.rule), ["blocking-call"]);

    const program = path.join(unpacked, "busy.js");
    fs.writeFileSync(program, "setTimeout(() => { const end = Date.now() + 150; while (Date.now() < end); }, 10);\n");
    const trace = path.join(unpacked, "busy.alens");
    const run = spawnSync(process.execPath, ["--import", path.join(unpacked, "extension/dist/runtime/register.js"), program], {
      encoding: "utf8",
      env: { ...process.env, ASYNC_LENS_TRACE: trace },
    });
    assert.equal(run.status, 0, run.stderr);
    const summary = spawnSync(process.execPath, [server, "trace", "summary", trace], { encoding: "utf8" });
    assert.equal(summary.status, 0, summary.stderr);
    assert.match(summary.stdout, /busy\.js:1 +1× total \d+ ms/);
  });
});
