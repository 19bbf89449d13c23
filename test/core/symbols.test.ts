import * as assert from "node:assert/strict";
import * as path from "node:path";
import ts from "typescript";
import { createInMemoryProgram, INFERRED_OPTIONS } from "../../server/src/core/project";
import { calleeName, isPromiseLike, normaliseModule, packageNameOfPath, projectFunctionOf, resolveCallee, type CalleeRef } from "../../server/src/core/symbols";

// In-memory files inside the repository, so node_modules (@types/node) resolves as for real code.
const DIR = path.resolve(__dirname, "../../../test/core/virtual");
const at = (name: string) => path.join(DIR, name);

/** Resolves the callee of every call marked with a trailing `// <-` comment, in file order. */
function resolveMarked(sources: Record<string, string>, options: ts.CompilerOptions = INFERRED_OPTIONS): Partial<CalleeRef>[] {
  const program = createInMemoryProgram(Object.fromEntries(Object.entries(sources).map(([k, v]) => [at(k), v])), options);
  const checker = program.getTypeChecker();
  const out: Partial<CalleeRef>[] = [];
  for (const name of Object.keys(sources)) {
    const sf = program.getSourceFile(at(name))!;
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && sf.text.slice(node.getEnd(), sf.text.indexOf("\n", node.getEnd())).includes("// <-")) {
        const ref = resolveCallee(program, checker, node.expression);
        out.push(ref ? { module: ref.module, name: ref.name, origin: ref.origin, resolvedBy: ref.resolvedBy } : {});
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

const fsRef = (name: string, resolvedBy: "checker" | "imports" = "checker") => ({ module: "fs", name, origin: "dependency", resolvedBy });

describe("symbol resolution", function () {
  this.timeout(60_000);

  it("follows import aliases, namespace imports, const aliases and re-exports to the module's export", () => {
    const refs = resolveMarked({
      "reexport.ts": 'export { readFileSync as load } from "node:fs";\n',
      "main.ts": [
        'import { readFileSync as read, statSync } from "node:fs";',
        'import * as fs from "fs";',
        'import { load } from "./reexport";',
        "const alias = fs.existsSync;",
        "export async function f(p: string) {",
        "  read(p); // <-",
        "  fs.writeFileSync(p, ''); // <-",
        "  alias(p); // <-",
        "  load(p); // <-",
        "  statSync(p); // <-",
        "}",
      ].join("\n"),
    });
    assert.deepEqual(refs, [fsRef("readFileSync"), fsRef("writeFileSync"), fsRef("existsSync"), fsRef("readFileSync"), fsRef("statSync")]);
  });

  it("resolves destructured require in JavaScript", () => {
    const [ref] = resolveMarked({ "a.js": 'const { execSync } = require("child_process");\nasync function f() { execSync("ls"); // <-\n}\n' });
    assert.equal(ref.module, "child_process");
    assert.equal(ref.name, "execSync");
    assert.equal(ref.origin, "dependency");
  });

  it("falls back to the imports in untyped JavaScript", () => {
    const refs = resolveMarked(
      { "a.js": 'const fs = require("fs");\nconst { spawnSync } = require("node:child_process");\nfs.readFileSync("x"); // <-\nspawnSync("ls"); // <-\n' },
      { ...INFERRED_OPTIONS, types: [] },
    );
    assert.deepEqual(refs, [fsRef("readFileSync", "imports"), { module: "child_process", name: "spawnSync", origin: "dependency", resolvedBy: "imports" }]);
  });

  it("tells a project's own readFileSync method from the fs one", () => {
    const [ref] = resolveMarked({ "store.ts": "class Store { readFileSync(): string { return ''; } }\nexport async function f(s: Store) { s.readFileSync(); // <-\n}\n" });
    assert.equal(ref.origin, "project");
    assert.equal(ref.module, undefined);
  });

  it("resolves `this.method()` to the declaration the checker finds, without asking it where the class says", () => {
    const sources = {
      [at("base.ts")]: "export class Base { inherited(): void {} static make(): void {} }\n",
      [at("this-calls.ts")]: [
        'import { Base } from "./base";',
        "export class Service extends Base {",
        "  #secret(): void {}",
        "  own(): void {}",
        "  static own(): void {}",
        "  field = () => this.own();",
        "  run(): void {",
        "    this.own(); this.#secret(); this.inherited(); this.missing?.();",
        "    [1].forEach(() => this.own());",
        "    const self = { own() {}, call() { this.own(); } };",
        "    self.call();",
        "  }",
        "  retyped(this: { own(): number }): void { this.own(); }",
        "  static start(): void { this.own(); this.make(); }",
        "}",
      ].join("\n"),
      [at("mixin.js")]: [
        "const kLoad = Symbol('load');",
        "const kRenamed = 'renamed';",
        "module.exports = (cls) => class Reifier extends cls {",
        "  reify() { this.own(); this.finishTracker(); function later() { this.own(); } later(); }",
        "  own() {}",
        "  [kLoad]() { this.own(); }",
        "};",
        "exports.Named = class Named extends Base { [kRenamed]() {} run() { this.renamed(); this.inherited(); this.fromThis(); } constructor() { super(); this.fromThis = () => 1; } };",
        "class Base { inherited() {} }",
        "class Other { x() {} }",
        "exports.Retyped = class Retyped { x() {} /** @this {Other} */ m() { this.x(); } };",
        "exports.Twice = class Twice { run = () => 1; run() {} go() { this.run(); } };",
        "exports.shadowed = () => { const kLoad = 'load'; return class Shadowed extends Base { [kLoad]() {} go() { this.load(); } }; };",
      ].join("\n"),
    };
    const program = createInMemoryProgram(sources, { ...INFERRED_OPTIONS, allowJs: true, checkJs: false });
    const checker = program.getTypeChecker();
    let compared = 0;
    for (const file of [at("this-calls.ts"), at("mixin.js")]) {
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
          const declarations = checker.getSymbolAtLocation(node.expression.name)?.declarations ?? [];
          const expected = declarations.find((d) => ts.isFunctionLike(d) && (d as ts.FunctionLikeDeclaration).body) ?? declarations[0];
          const where = (d: ts.Declaration | undefined) => (d === undefined ? "nothing" : `${ts.SyntaxKind[d.kind]} at ${path.basename(d.getSourceFile().fileName)}:${d.getStart()}`);
          assert.equal(where(resolveCallee(program, checker, node.expression)?.declaration), where(expected), `${node.getText()} at ${node.getStart()} in ${path.basename(file)}`);
          compared++;
        }
        ts.forEachChild(node, visit);
      };
      visit(program.getSourceFile(file)!);
    }
    assert.equal(compared, 20);
  });

  it("finds the body of a project function for call chains", () => {
    const sources = { [at("chain.ts")]: "const helper = () => 1;\nfunction named() { return helper(); }\nnamed();\n" };
    const program = createInMemoryProgram(sources);
    const sf = program.getSourceFile(at("chain.ts"))!;
    const calls: ts.CallExpression[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) calls.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    const checker = program.getTypeChecker();
    const bodies = calls.map((c) => projectFunctionOf(resolveCallee(program, checker, c.expression)));
    assert.deepEqual(bodies.map((b) => b && ts.SyntaxKind[b.kind]), ["ArrowFunction", "FunctionDeclaration"]);
  });

  it("recognises promises and thenables by type", () => {
    const program = createInMemoryProgram({ [at("types.ts")]: "export const p = Promise.resolve(1);\nexport const t = { then(f: (x: number) => void) { f(1); } };\nexport const n = 1;\nexport const u = Math.random() > 0.5 ? p : n;\n" });
    const checker = program.getTypeChecker();
    const sf = program.getSourceFile(at("types.ts"))!;
    const declarations = sf.statements.filter(ts.isVariableStatement).map((s) => s.declarationList.declarations[0]);
    assert.deepEqual(
      declarations.map((d) => [d.name.getText(), isPromiseLike(checker, checker.getTypeAtLocation(d.name))]),
      [["p", true], ["t", true], ["n", false], ["u", true]],
    );
  });

  it("has cheap helpers for names, modules and packages", () => {
    const expr = (code: string) => (ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true).statements[0] as ts.ExpressionStatement).expression as ts.CallExpression;
    assert.deepEqual(["f()", "a.b.m()", 'a["m"]()', "(a as any).m!()", "f()()"].map((c) => calleeName(expr(c).expression)), ["f", "m", "m", "m", undefined]);
    assert.equal(normaliseModule("node:fs/promises"), "fs/promises");
    assert.equal(normaliseModule("fs-extra"), "fs-extra");
    assert.equal(packageNameOfPath("/p/node_modules/async-mutex/lib/index.d.ts"), "async-mutex");
    assert.equal(packageNameOfPath("/p/node_modules/@types/node/fs.d.ts"), "node");
    assert.equal(packageNameOfPath("/p/node_modules/@types/foo__bar/index.d.ts"), "@foo/bar");
    assert.equal(packageNameOfPath("/p/node_modules/a/node_modules/@scope/b/x.d.ts"), "@scope/b");
    assert.equal(packageNameOfPath("/p/src/a.ts"), undefined);
  });
});
