// Run Current File on a TypeScript file runs the project's build output: found
// here in projects the real TypeScript compiler builds, and refused with the
// places it looked when there is none.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { buildOutputFor } from "../../client/src/panel/build-output";

/** Writes files under a fresh folder; returns the folder. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-build-output-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Builds the project at `configFile` with tsc's own config reading and emit (no lib files: only where output goes matters); returns the files written. */
function tsc(configFile: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, { listEmittedFiles: true, noLib: true, types: [] }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) })!;
  const result = ts.createProgram(parsed.fileNames, parsed.options).emit();
  assert.equal(result.emitSkipped, false);
  return (result.emittedFiles ?? []).map((f) => path.resolve(f));
}

const SOURCE = "export async function main(): Promise<number> { return 1; }\nvoid main();\n";

describe("Run Current File: a TypeScript file's build output", () => {
  it("finds the output through outDir and rootDir, once built, and says where it looked before", async () => {
    const dir = project({ "tsconfig.json": '{ "compilerOptions": { "outDir": "out", "rootDir": "src", "sourceMap": true } }', "src/server/app.ts": SOURCE });
    const source = path.join(dir, "src/server/app.ts");
    const before = await buildOutputFor(source);
    assert.equal(before.ok, false);
    assert.ok(!before.ok && before.reason.includes(path.join(dir, "out/server/app.js")), JSON.stringify(before));
    assert.match(!before.ok ? before.reason : "", /Build the project/);

    tsc(path.join(dir, "tsconfig.json"));
    assert.deepEqual(await buildOutputFor(source), { ok: true, file: path.join(dir, "out/server/app.js"), stale: false });
    assert.ok(fs.existsSync(path.join(dir, "out/server/app.js.map")));
  });

  it("follows extends for outDir, and finds the output without rootDir wherever this compiler puts it", async () => {
    // Comments and trailing commas: tsconfig files are JSONC.
    const dir = project({
      "configs/base.json": '{ "compilerOptions": { "outDir": "../build", }, // shared\n}',
      "tsconfig.json": '{ "extends": "./configs/base", "compilerOptions": { "module": "nodenext" }, "include": ["src"] }',
      "src/a.mts": SOURCE,
      "src/lib/b.ts": SOURCE,
    });
    // TypeScript 6 puts it under the config's folder (build/src/…), older versions under the sources' common folder (build/…).
    const emitted = tsc(path.join(dir, "tsconfig.json"));
    const a = emitted.find((f) => f.endsWith(`${path.sep}a.mjs`));
    const b = emitted.find((f) => f.endsWith(`${path.sep}lib${path.sep}b.js`));
    assert.ok(a?.startsWith(path.join(dir, "build")) && b, JSON.stringify(emitted));
    assert.deepEqual(await buildOutputFor(path.join(dir, "src/a.mts")), { ok: true, file: a, stale: false });
    assert.deepEqual(await buildOutputFor(path.join(dir, "src/lib/b.ts")), { ok: true, file: b, stale: false });
  });

  it("runs the output beside the source without outDir, and says when it is older than the source", async () => {
    const dir = project({ "tsconfig.json": "{}", "app.ts": SOURCE });
    tsc(path.join(dir, "tsconfig.json"));
    const source = path.join(dir, "app.ts");
    const later = new Date(fs.statSync(path.join(dir, "app.js")).mtimeMs + 5_000);
    fs.utimesSync(source, later, later);
    assert.deepEqual(await buildOutputFor(source), { ok: true, file: path.join(dir, "app.js"), stale: true });
  });

  it("refuses a file outside rootDir, which the build does not compile", async () => {
    const dir = project({ "tsconfig.json": '{ "compilerOptions": { "outDir": "out", "rootDir": "src" } }', "scripts/tool.ts": SOURCE });
    const result = await buildOutputFor(path.join(dir, "scripts/tool.ts"));
    assert.ok(!result.ok && /outside the rootDir/.test(result.reason), JSON.stringify(result));
  });
});
