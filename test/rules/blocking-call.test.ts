import * as assert from "node:assert/strict";
import * as path from "node:path";
import ts from "typescript";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { DEFAULT_CONFIG, type AsyncLensConfig } from "../../server/src/core/config";
import { applyEdits, combineFixes } from "../../server/src/core/fixes/apply";
import { createInMemoryProgram } from "../../server/src/core/project";
import { fileNameIndex, type FileNameIndex } from "../../server/src/core/rules/blocking-call/name-index";
import type { Finding } from "../../server/src/core/types";
import { FIXTURES_ROOT, typeErrors } from "../support/fixtures";

// Programs that do not exist on disk, beside the fixtures so that @types/node resolves.
const ROOT = path.join(FIXTURES_ROOT, "blocking-call-virtual");
const at = (name: string) => path.join(ROOT, name);

// Each program reuses the previous one's parsed declaration files (@types/node), which keeps these tests fast.
let previous: ts.Program | undefined;

function analyze(sources: Record<string, string>, config: Partial<AsyncLensConfig> = {}): Finding[] {
  const files = Object.fromEntries(Object.entries(sources).map(([name, text]) => [at(name), text]));
  const program = createInMemoryProgram(files, undefined, previous);
  previous = program;
  const targets = program.getSourceFiles().filter((f) => path.resolve(f.fileName) in files);
  const result = analyzeProgram(program, targets, { config: { ...DEFAULT_CONFIG, ...config }, root: ROOT, only: ["blocking-call"] });
  assert.deepEqual(result.problems, []);
  return result.findings;
}

const CHAIN = {
  "io.ts": [
    'import { readFileSync } from "node:fs";',
    "export function readText(file: string): string {",
    '  return readFileSync(file, "utf8");',
    "}",
    "export function readJson(file: string): unknown {",
    "  return JSON.parse(readText(file));",
    "}",
  ].join("\n"),
  "handler.ts": [
    'import { readJson } from "./io";',
    "export function loadSettings(): unknown {",
    '  return readJson("settings.json");',
    "}",
    "export async function handle(): Promise<unknown> {",
    "  return loadSettings();",
    "}",
  ].join("\n"),
};

describe("blocking-call chains", function () {
  this.timeout(60_000);

  it("flags the call in async code and lists one related entry per hop, across files", () => {
    const [finding, ...rest] = analyze(CHAIN);
    assert.deepEqual(rest, []);
    assert.equal(path.basename(finding.file), "handler.ts");
    assert.deepEqual(finding.range, { start: { line: 5, character: 9 }, end: { line: 5, character: 23 } });
    assert.match(finding.message, /^`loadSettings` blocks the event loop: it reaches `readFileSync` through `readJson` and `readText`/);
    assert.deepEqual(
      finding.related.map((r) => [path.basename(r.location.file), r.location.range.start.line, r.message]),
      [
        ["handler.ts", 2, "`loadSettings` calls `readJson` here"],
        ["io.ts", 5, "`readJson` calls `readText` here"],
        ["io.ts", 2, "`readText` calls `readFileSync` from `fs` here, which blocks while it reads the file"],
      ],
    );
  });

  it("follows at most chainDepth project functions", () => {
    assert.equal(analyze(CHAIN, { chainDepth: 3 }).length, 1);
    assert.deepEqual(analyze(CHAIN, { chainDepth: 2 }), []);
  });

  it("terminates on cycles and still finds the blocking call inside one", () => {
    const findings = analyze({
      "cycle.ts": [
        'import { existsSync } from "node:fs";',
        "function ping(n: number): boolean {",
        "  return n > 0 ? pong(n - 1) : existsSync('/tmp/done');",
        "}",
        "function pong(n: number): boolean {",
        "  return ping(n);",
        "}",
        "function even(n: number): boolean {",
        "  return n === 0 || odd(n - 1);",
        "}",
        "function odd(n: number): boolean {",
        "  return n !== 0 && even(n - 1);",
        "}",
        "export async function run(): Promise<boolean> {",
        "  return pong(3) && even(4);",
        "}",
      ].join("\n"),
    });
    assert.deepEqual(
      findings.map((f) => f.message.split(":")[0]),
      ["`pong` blocks the event loop"],
    );
  });
});

describe("blocking-call configuration", function () {
  this.timeout(60_000);

  const sources = {
    "lib.d.ts": ['declare module "my-lib" {', "  export function heavySync(n: number): number;", "  export function heavy(n: number): Promise<number>;", "  export function compute(n: number): number;", "}"].join("\n"),
    "use.ts": ['/// <reference path="./lib.d.ts" />', 'import { compute, heavySync } from "my-lib";', "export async function run(): Promise<number> {", "  return compute(1) + heavySync(2);", "}"].join("\n"),
  };

  it("treats configured APIs as blocking and fixes them with the configured twin", () => {
    const config = { blockingApis: [{ module: "my-lib", export: "compute" }, { module: "my-lib", export: "heavySync", asyncAlternative: "heavy" }] };
    const findings = analyze(sources, config);
    assert.deepEqual(
      findings.map((f) => f.message),
      [
        "`compute` blocks the event loop while it runs (the Async Lens configuration declares it blocking), stalling every other task; move it out of async code (to start-up) or into a worker thread.",
        "`heavySync` blocks the event loop while it runs (the Async Lens configuration declares it blocking), stalling every other task; use `await heavy(…)`.",
      ],
    );
    const fixed = applyEdits(sources["use.ts"], combineFixes(findings.flatMap((f) => f.fixes.filter((x) => x.isPreferred)))).text;
    assert.equal(fixed.split("\n")[1], 'import { compute, heavySync, heavy } from "my-lib";');
    assert.equal(fixed.split("\n")[3], "  return compute(1) + await heavy(2);");
    const program = createInMemoryProgram({ [at("lib.d.ts")]: sources["lib.d.ts"], [at("use.ts")]: fixed }, undefined, previous);
    assert.deepEqual(typeErrors(program, at("use.ts")), []);
  });

  it("offers the ignore fix, not preferred, indented like the line", () => {
    const [finding] = analyze({ "a.ts": 'import { readFileSync } from "node:fs";\nexport async function f() {\n    return readFileSync("x");\n}\n' });
    const ignore = finding.fixes.find((f) => !f.isPreferred);
    assert.ok(ignore);
    assert.deepEqual(ignore.edits.map((e) => [e.range.start, e.newText]), [[{ line: 2, character: 0 }, "    // async-lens-ignore-next-line blocking-call -- <reason>\n"]]);
  });
});

describe("blocking-call name index", () => {
  const parse = (body: string) => ts.createSourceFile(at("helpers.ts"), `import { readFileSync } from "node:fs";\nexport function readText(file: string): string {\n  ${body}\n}\n`, ts.ScriptTarget.ES2022, true);
  const callees = (index: FileNameIndex) => index.summaries.flatMap((s) => [...s.callees]);

  it("hands out the same index after an edit that changes no summary, and a new one after an edit that does", () => {
    const first = fileNameIndex(parse("return String(file.length);"), []);
    assert.equal(fileNameIndex(parse("return  String(file.length);"), []), first, "whitespace changes nothing the index holds");
    const blocking = fileNameIndex(parse('return readFileSync(file, "utf8");'), []);
    assert.notEqual(blocking, first);
    assert.ok(callees(blocking).includes("readFileSync"));
    const back = fileNameIndex(parse("return `${file}`;"), []);
    assert.notEqual(back, blocking);
    assert.ok(!callees(back).includes("readFileSync"));
  });
});
