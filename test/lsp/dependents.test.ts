// The import graph the language server refreshes dependents by: every way a
// file can import another counts, resolved by the real compiler, and text that
// only looks like an import does not.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { ImportGraph } from "../../server/src/lsp/dependents";

const FILES: Record<string, string> = {
  "helper.ts": "export const helper = () => 1;\n",
  "imports.ts": 'import { helper } from "./helper";\nexport const a = helper();\n',
  "requires.js": 'const { helper } = require("./helper");\nmodule.exports = helper;\n',
  "dynamic.ts": 'export const load = () => import("./helper");\n',
  "reexports.ts": 'export * from "./helper";\n',
  "through-reexport.ts": 'import { helper } from "./reexports";\nhelper();\n',
  "equals.ts": 'import h = require("./helper");\nh.helper();\n',
  "mentions.ts": '// copied from "./helper" once\nconst note = "import(\'./helper\')";\nexport default note;\n',
  "import-type.ts": 'export type Helper = typeof import("./helper").helper;\n',
  "jsdoc.js": '/** @param {import("./helper").Helper} h */\nexports.use = (h) => h;\n',
  "commented.ts": 'import { helper } from /* the one */ "./helper";\nhelper();\n',
  "augments.ts": 'export {};\ndeclare module "./helper" { export const extra: number; }\n',
};

describe("import graph", () => {
  let dir: string;
  let program: ts.Program;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-imports-"));
    for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), text);
    const options: ts.CompilerOptions = { allowJs: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, noEmit: true };
    program = ts.createProgram(Object.keys(FILES).map((f) => path.join(dir, f)), options);
    // Binding sets the parent pointers, which the language service's trees always have.
    program.getTypeChecker();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const sources = () => program.getSourceFiles().filter((f) => f.fileName.startsWith(dir));
  const resolve = (specifier: ts.StringLiteralLike, file: ts.SourceFile) => {
    const resolved = ts.resolveModuleName(specifier.text, file.fileName, program.getCompilerOptions(), ts.sys).resolvedModule;
    return resolved === undefined ? undefined : path.resolve(resolved.resolvedFileName);
  };
  const names = (files: Set<string>) => [...files].map((f) => path.basename(f)).sort((a, b) => a.localeCompare(b));

  it("finds every importer of a file (imports, re-exports, requires, import types, JSDoc imports, augmentations), and no file that only mentions it", () => {
    const graph = new ImportGraph(resolve, path.resolve);
    const importers = graph.importersOf([path.join(dir, "helper.ts")], sources());
    assert.deepEqual(names(importers), ["augments.ts", "commented.ts", "dynamic.ts", "equals.ts", "import-type.ts", "imports.ts", "jsdoc.js", "reexports.ts", "requires.js", "through-reexport.ts"]);
  });

  it("reads a changed file's imports again, and forgets a file that left the program", () => {
    const graph = new ImportGraph(resolve, path.resolve);
    const helper = path.join(dir, "helper.ts");
    graph.importersOf([helper], sources());
    // imports.ts stops importing helper; requires.js is gone.
    const host = ts.createCompilerHost(program.getCompilerOptions());
    const readFile = host.readFile;
    host.readFile = (f) => (path.basename(f) === "imports.ts" ? "export const a = 1;\n" : readFile(f));
    const roots = program.getRootFileNames().filter((f) => path.basename(f) !== "requires.js");
    const next = ts.createProgram(roots, program.getCompilerOptions(), host, program);
    next.getTypeChecker();
    const importers = graph.importersOf([helper], next.getSourceFiles().filter((f) => f.fileName.startsWith(dir)));
    assert.deepEqual(names(importers), ["augments.ts", "commented.ts", "dynamic.ts", "equals.ts", "import-type.ts", "jsdoc.js", "reexports.ts", "through-reexport.ts"]);
  });
});
