// Fixture tests: every folder under test/fixtures/<rule-id>/ is one program,
// except that a nested folder with its own tsconfig.json is a program of its
// own (to test other compiler options, such as no @types at all).
// Expectations are written in the sources, under the offending code:
//
//     const data = fs.readFileSync(path);
//     //           ~~~~~~~~~~~~~~~~~~~~~~ [blocking-call]
//
// The tildes give the columns on the line above; a finding that spans several
// lines is matched on its start. Text after the rule id in the brackets
// (`[blocking-call: readFileSync]`) must appear in the message, and an id after
// a slash names one of the rule's declared messages (`[unused-suppression/unknown-rule]`). A file without
// markers expects no finding at all and says `// expect: nothing` in its opening
// comments. A file `x.ts` with a sibling `x.ts.fixed` is a fix case: applying
// the rule's preferred fixes must give exactly that text, and the fixed program
// must type-check. A rule with `meta.fixable` needs at least one fix case; one
// without offers no fixes.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { DEFAULT_CONFIG } from "../../server/src/core/config";
import { applyEdits, combineFixes } from "../../server/src/core/fixes/apply";
import { createInMemoryProgram, INFERRED_OPTIONS, isSourceFileName, parseTsconfig } from "../../server/src/core/project";
import type { RuleMeta } from "../../server/src/core/rule";
import type { Finding, Problem } from "../../server/src/core/types";

export const FIXTURES_ROOT = path.resolve(__dirname, "../../../test/fixtures");

export interface Expectation {
  file: string;
  /** 0-based line and columns of the underlined code. */
  line: number;
  startColumn: number;
  endColumn: number;
  rule: string;
  /** `[rule/message-id]`: which of the rule's declared messages. */
  messageId: string | undefined;
  messageIncludes: string | undefined;
}

const MARKER = /^(\s*\/\/\s*?)(\s*)(~+)\s*\[([a-z][a-z0-9-]*)(?:\/([a-z][a-z0-9-]*))?(?::\s*([^\]]*))?\]\s*$/;

/** Reads the `~~~ [rule]` markers of one source text. */
export function parseExpectations(file: string, text: string): Expectation[] {
  const lines = text.split("\n");
  const out: Expectation[] = [];
  let target = -1;
  lines.forEach((line, index) => {
    const m = MARKER.exec(line.replace(/\r$/, ""));
    if (!m) {
      target = index;
      return;
    }
    const startColumn = m[1].length + m[2].length;
    out.push({ file, line: target, startColumn, endColumn: startColumn + m[3].length, rule: m[4], messageId: m[5], messageIncludes: m[6]?.trim() || undefined });
  });
  return out;
}

/** A sub-folder with its own tsconfig.json is a program of its own (other compiler options, no @types). */
function isProgramRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, "tsconfig.json"));
}

/** The rule's fixture folder and every nested folder that is a program of its own. */
function programRoots(dir: string): string[] {
  const out = [dir];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === "node_modules") continue;
      const full = path.join(d, entry.name);
      if (isProgramRoot(full)) out.push(full);
      walk(full);
    }
  };
  walk(dir);
  return out;
}

/** Source files below `dir`, except in nested folders that are programs of their own. */
export function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && !isProgramRoot(full)) out.push(...listSources(full));
    else if (entry.isFile() && isSourceFileName(entry.name)) out.push(full);
  }
  return out.sort();
}

/** The compiler options of a fixture folder: its tsconfig.json, or those of loose files. */
export function fixtureOptions(dir: string): ts.CompilerOptions {
  const tsconfig = path.join(dir, "tsconfig.json");
  if (!fs.existsSync(tsconfig)) return INFERRED_OPTIONS;
  const problems: Problem[] = [];
  const parsed = parseTsconfig(tsconfig, problems);
  assert.deepEqual(problems, [], `fixture tsconfig ${tsconfig} is broken`);
  return parsed!.options;
}

function loadFixture(dir: string, overrides: Record<string, string> = {}, oldProgram?: ts.Program) {
  const sources: Record<string, string> = {};
  for (const file of listSources(dir)) sources[file] = fs.readFileSync(file, "utf8");
  Object.assign(sources, overrides);
  const options = fixtureOptions(dir);
  const program = createInMemoryProgram(sources, options, oldProgram);
  const files = program.getSourceFiles().filter((sf) => sf.fileName in sources || path.resolve(sf.fileName) in sources);
  return { sources, program, files };
}

export function runRule(ruleId: string, program: ts.Program, files: readonly ts.SourceFile[]): Finding[] {
  const result = analyzeProgram(program, files, { config: DEFAULT_CONFIG, root: path.dirname(files[0]?.fileName ?? "."), only: [ruleId] });
  assert.deepEqual(result.problems, [], "the analysis reported problems");
  return result.findings;
}

function describeFinding(f: Finding): string {
  return `${path.basename(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} [${f.rule}] ${f.message}`;
}

function matches(e: Expectation, f: Finding): boolean {
  if (path.resolve(f.file) !== path.resolve(e.file) || f.rule !== e.rule) return false;
  if (f.range.start.line !== e.line || f.range.start.character !== e.startColumn) return false;
  if (f.range.end.line === e.line && f.range.end.character !== e.endColumn) return false;
  if (e.messageId !== undefined && f.messageId !== e.messageId) return false;
  return e.messageIncludes === undefined || f.message.includes(e.messageIncludes);
}

/** Compares the findings with the markers; every finding must be expected and every marker found. */
export function assertFindingsMatch(expectations: Expectation[], findings: Finding[]): void {
  const unmatched = [...findings];
  const missing: Expectation[] = [];
  for (const e of expectations) {
    const i = unmatched.findIndex((f) => matches(e, f));
    if (i >= 0) unmatched.splice(i, 1);
    else missing.push(e);
  }
  const lines = [
    ...missing.map((e) => `missing: ${path.basename(e.file)}:${e.line + 1}:${e.startColumn + 1}-${e.endColumn + 1} [${e.rule}${e.messageId ? `/${e.messageId}` : ""}]${e.messageIncludes ? ` containing "${e.messageIncludes}"` : ""}`),
    ...unmatched.map((f) => `unexpected: ${describeFinding(f)}`),
  ];
  assert.ok(lines.length === 0, `findings differ from the markers:\n  ${lines.join("\n  ")}`);
}

/** Type errors of one file in a program, as readable lines. */
export function typeErrors(program: ts.Program, fileName: string): string[] {
  const sf = program.getSourceFile(fileName);
  if (!sf) return [`${fileName} is not in the program`];
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.basename(fileName)}:${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

/** `// expect: nothing` among the comments that open a file: a valid case says so, so that a lost marker cannot pass for one. */
export function expectsNothing(text: string): boolean {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "") continue;
    if (!t.startsWith("//")) return false;
    if (/^\/\/\s*expect:\s*nothing$/.test(t)) return true;
  }
  return false;
}

/** Registers mocha tests for every fixture folder of a rule: test/fixtures/<id>/. */
export function describeRuleFixtures(meta: RuleMeta): void {
  const ruleId = meta.id;
  const root = path.join(FIXTURES_ROOT, ruleId);
  describe(`${ruleId} fixtures`, () => {
    const programs = programRoots(root);
    it("has invalid and valid cases, and a fix case if and only if the rule is fixable", () => {
      const files = programs.flatMap(listSources);
      const texts = files.map((f) => [f, fs.readFileSync(f, "utf8")] as const);
      const withMarkers = texts.filter(([f, text]) => parseExpectations(f, text).length > 0);
      assert.ok(withMarkers.length > 0, `no file in ${root} expects a finding`);
      assert.ok(withMarkers.length < texts.length, `no file in ${root} expects nothing`);
      const fixCases = files.filter((f) => fs.existsSync(`${f}.fixed`));
      if (meta.fixable) assert.ok(fixCases.length > 0, `${ruleId} is fixable (meta.fixable) but no file in ${root} has a .fixed sibling`);
      else assert.deepEqual(fixCases, [], `${ruleId} is not fixable (meta.fixable) but has fix cases`);
    });
    for (const dir of programs) {
      if (dir === root) describeProgram(meta, root, dir);
      else describe(path.relative(root, dir), () => describeProgram(meta, root, dir));
    }
  });
}

/** The tests of one fixture program: its files' markers and fix cases. */
function describeProgram(meta: RuleMeta, root: string, dir: string): void {
  const ruleId = meta.id;
  const sources: Record<string, string> = Object.fromEntries(listSources(dir).map((f) => [f, fs.readFileSync(f, "utf8")]));
  let findings: Finding[] = [];
  let original: ts.Program | undefined;
  before(function () {
    // Building the program loads @types/node and the libraries: seconds on a cold cache.
    this.timeout(60_000);
    const { program, files } = loadFixture(dir);
    original = program;
    findings = runRule(ruleId, program, files);
  });

  for (const file of Object.keys(sources)) {
    it(path.relative(root, file), () => {
      const expectations = parseExpectations(file, sources[file]);
      for (const e of expectations) assert.equal(e.rule, ruleId, `${file}: marker for another rule`);
      if (expectations.length === 0) assert.ok(expectsNothing(sources[file]), `${file} has no marker: a valid case says "// expect: nothing" in its opening comments`);
      else assert.ok(!expectsNothing(sources[file]), `${file} has markers and says "// expect: nothing"`);
      if (!meta.fixable) {
        const fixed = findings.filter((f) => path.resolve(f.file) === file && f.fixes.length > 0);
        assert.deepEqual(fixed.map(describeFinding), [], `${ruleId} is not fixable (meta.fixable) but offers fixes`);
      }
      assertFindingsMatch(
        expectations,
        findings.filter((f) => path.resolve(f.file) === file),
      );
    });
  }

  for (const file of Object.keys(sources).filter((f) => fs.existsSync(`${f}.fixed`))) {
    it(`fixes ${path.relative(root, file)}`, () => {
      const fixes = findings.filter((f) => path.resolve(f.file) === file).flatMap((f) => f.fixes.filter((x) => x.isPreferred));
      assert.ok(fixes.length > 0, `no preferred fix offered in ${file}`);
      const edits = combineFixes(fixes);
      assert.ok(edits.every((e) => path.resolve(e.file) === file), "a fix edits another file");
      const fixed = applyEdits(sources[file], edits).text;
      assert.equal(fixed, fs.readFileSync(`${file}.fixed`, "utf8"));
      // The fixed program reuses the original's parsed declaration files.
      const after = loadFixture(dir, { [file]: fixed }, original);
      assert.deepEqual(typeErrors(after.program, file), [], "the fixed code does not type-check");
    });
  }
}
