import * as assert from "node:assert/strict";
import * as path from "node:path";
import ts from "typescript";
import { createInMemoryProgram, INFERRED_OPTIONS, isSourceFileName, loadProject } from "../../server/src/core/project";
import { tempDir } from "./temp-dir";

describe("project loading", function () {
  // Building a program reads TypeScript's lib files: about a second on a busy machine.
  this.timeout(60_000);
  const cleanups: (() => void)[] = [];
  const folder = (files: Record<string, string | Buffer>) => {
    const t = tempDir(files);
    cleanups.push(t.cleanup);
    return t.dir;
  };
  after(() => cleanups.forEach((c) => c()));
  const names = (root: string, files: readonly ts.SourceFile[]) => files.map((f) => path.relative(root, f.fileName).split(path.sep).join("/"));

  it("loads a folder with a tsconfig.json as that project, with its options and only its files", () => {
    const dir = folder({
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "es2022", module: "nodenext" }, include: ["src"] }),
      "src/a.ts": "export const a = 1;\n",
      "src/nested/b.ts": 'import { a } from "../a.js";\nexport const b = a + 1;\n',
      "scripts/build.ts": "export {};\n",
    });
    const project = loadProject({ paths: [dir], cwd: "/" });
    assert.deepEqual(project.problems, []);
    assert.equal(project.root, dir);
    assert.deepEqual(names(dir, project.files), ["src/a.ts", "src/nested/b.ts"]);
    assert.equal(project.program.getCompilerOptions().strict, true);
    assert.equal(project.program.getCompilerOptions().noEmit, true);
  });

  it("loads a single file with the project of the nearest tsconfig.json that includes it", () => {
    const dir = folder({ "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true }, include: ["src"] }), "src/a.ts": "export const a = 1;\n", "scripts/x.ts": "export {};\n" });
    const inProject = loadProject({ paths: ["src/a.ts"], cwd: dir });
    assert.equal(inProject.root, dir);
    assert.equal(inProject.program.getCompilerOptions().strict, true);
    assert.deepEqual(names(dir, inProject.files), ["src/a.ts"]);
    // Outside the project's include: an inferred project of its own.
    const loose = loadProject({ paths: ["scripts/x.ts"], cwd: dir });
    assert.equal(loose.root, path.join(dir, "scripts"));
    assert.equal(loose.program.getCompilerOptions().allowJs, true);
  });

  it("infers a project for loose files, JavaScript included, skipping dependency, build and hidden folders", () => {
    const dir = folder({
      "a.js": "module.exports = 1;\n",
      "b.mjs": "export default 2;\n",
      "lib/c.ts": "export const c = 3;\n",
      "lib/c.d.ts": "export declare const c: number;\n",
      "node_modules/dep/index.js": "module.exports = {};\n",
      "out/a.js": "",
      "dist/b.js": "",
      ".cache/x.ts": "",
      "README.md": "# not code\n",
    });
    const project = loadProject({ paths: [], cwd: dir });
    assert.deepEqual(project.problems, []);
    assert.equal(project.root, dir);
    assert.deepEqual(names(dir, project.files), ["a.js", "b.mjs", "lib/c.ts"]);
    assert.equal(project.program.getCompilerOptions().allowJs, INFERRED_OPTIONS.allowJs);
  });

  it("reports a --project that does not exist and still loads the paths", () => {
    const dir = folder({ "a.ts": "export {};\n" });
    const project = loadProject({ paths: ["."], project: "missing/tsconfig.json", cwd: dir });
    assert.deepEqual(project.problems.map((p) => [p.kind, p.message]), [["config", `tsconfig not found: ${path.join(dir, "missing/tsconfig.json")}`]]);
    assert.deepEqual(names(dir, project.files), ["a.ts"]);
  });

  it("uses an explicit --project for the paths given", () => {
    const dir = folder({ "tsconfig.build.json": JSON.stringify({ compilerOptions: { strict: true }, include: ["src"] }), "src/a.ts": "export {};\n", "src/b.ts": "export {};\n" });
    const project = loadProject({ paths: ["src/b.ts"], project: "tsconfig.build.json", cwd: dir });
    assert.deepEqual(project.problems, []);
    assert.equal(project.root, dir);
    assert.deepEqual(names(dir, project.files), ["src/b.ts"]);
    assert.ok(project.program.getSourceFile(path.join(dir, "src/a.ts")), "the rest of the project is in the program for types");
  });

  it("takes a folder as --project to mean the tsconfig.json inside it, as tsc -p does", () => {
    const dir = folder({ "app/tsconfig.json": JSON.stringify({ compilerOptions: { strict: true } }), "app/a.ts": "export {};\n" });
    const project = loadProject({ paths: ["app"], project: "app", cwd: dir });
    assert.deepEqual(project.problems, []);
    assert.equal(project.root, path.join(dir, "app"));
    assert.equal(project.program.getCompilerOptions().strict, true);
  });

  it("reports a broken tsconfig and loads the folder's files as loose files", () => {
    const dir = folder({ "tsconfig.json": '{ "compilerOptions": ', "a.ts": "export {};\n" });
    const project = loadProject({ paths: ["."], cwd: dir });
    assert.equal(project.problems.length, 1);
    assert.equal(project.problems[0].kind, "config");
    assert.match(project.problems[0].message, /cannot use .*tsconfig\.json/);
    assert.deepEqual(names(dir, project.files), ["a.ts"]);
  });

  it("reports paths that do not exist as usage problems", () => {
    const dir = folder({ "a.ts": "export {};\n" });
    const project = loadProject({ paths: ["a.ts", "nope.ts"], cwd: dir });
    assert.deepEqual(project.problems.map((p) => [p.kind, p.message]), [["usage", `path does not exist: ${path.join(dir, "nope.ts")}`]]);
    assert.deepEqual(names(dir, project.files), ["a.ts"]);
  });

  it("skips a binary file with a read problem", () => {
    const dir = folder({ "clip.ts": Buffer.from([0x47, 0x00, 0x11, 0x10, 0x00, 0xff]), "a.ts": "export {};\n" });
    const project = loadProject({ paths: ["."], cwd: dir });
    assert.deepEqual(project.problems.map((p) => [p.kind, p.message]), [["read", `skipped ${path.join(dir, "clip.ts")}: it is a binary file, not source text`]]);
    assert.deepEqual(names(dir, project.files), ["a.ts"]);
  });

  it("keeps syntax errors in the program: the file is still analysed", () => {
    const dir = folder({ "a.ts": "export async function f( {\n  await\n" });
    const project = loadProject({ paths: ["."], cwd: dir });
    assert.deepEqual(project.problems, []);
    assert.deepEqual(names(dir, project.files), ["a.ts"]);
  });

  it("tells source files from declaration files", () => {
    assert.deepEqual(["a.ts", "a.tsx", "a.mts", "a.cjs", "a.d.ts", "a.d.mts", "a.json", "a.md"].map(isSourceFileName), [true, true, true, true, false, false, false, false]);
  });

  it("builds a program over in-memory sources that import each other", () => {
    const a = path.resolve("/virtual/a.ts");
    const b = path.resolve("/virtual/b.ts");
    const program = createInMemoryProgram({ [a]: 'import { b } from "./b";\nexport const a: number = b;\n', [b]: "export const b = 1;\n" });
    const sf = program.getSourceFile(a)!;
    assert.deepEqual(program.getSemanticDiagnostics(sf).map((d) => d.messageText), []);
  });
});
