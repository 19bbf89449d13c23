import * as assert from "node:assert/strict";
import ts from "typescript";
import { applyEdits } from "../../server/src/core/fixes/apply";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { DEFAULT_CONFIG } from "../../server/src/core/config";
import { createInMemoryProgram } from "../../server/src/core/project";
import { messageOf } from "../../server/src/core/diagnostic";
import { unusedSuppression, unusedSuppressions } from "../../server/src/core/rules/unused-suppression";
import { applySuppressions, parseSuppressions } from "../../server/src/core/suppressions";
import type { Finding } from "../../server/src/core/types";
const source = (text: string) => ts.createSourceFile("/src/a.ts", text, ts.ScriptTarget.ES2022, true);

function finding(rule: string, line: number): Finding {
  return { rule, severity: "warning", message: `${rule} at ${line}`, file: "/src/a.ts", range: { start: { line, character: 2 }, end: { line, character: 8 } }, href: "", related: [], fixes: [] };
}

const ALL_RULES = new Set(["blocking-call", "lock-order", "unbounded-fanout"]);
const rulesOf = (findings: Finding[]) => findings.map((f) => `${f.rule}@${f.range.start.line}`);

/** What the analyzer keeps of a file's findings, then the directives the unused-suppression rule reports, as `rule@line`. */
function suppress(file: ts.SourceFile, findings: Finding[], rulesRun: ReadonlySet<string> = ALL_RULES): string[] {
  const directives = parseSuppressions(file);
  const kept = applySuppressions(findings, directives);
  const unused = unusedSuppressions({ directives, rulesRun, knownRules: ALL_RULES });
  return [...rulesOf(kept), ...unused.map((u) => `unused-suppression@${u.directive.range.start.line}`)];
}

describe("suppression comments", () => {
  describe("parsing", () => {
    it("reads kind, rule ids, reason and the line a next-line directive covers", () => {
      const file = source(
        [
          "// async-lens-ignore-next-line blocking-call -- read once at start-up",
          "const a = 1;",
          "/* async-lens-ignore-file lock-order, unbounded-fanout */",
          "/**",
          " * async-lens-ignore-next-line",
          " */",
          "const b = 2;",
        ].join("\n"),
      );
      const parsed = parseSuppressions(file).map(({ kind, rules, reason, line }) => ({ kind, rules, reason, line }));
      assert.deepEqual(parsed, [
        { kind: "next-line", rules: ["blocking-call"], reason: "read once at start-up", line: 1 },
        { kind: "file", rules: ["lock-order", "unbounded-fanout"], reason: undefined, line: 3 },
        { kind: "next-line", rules: [], reason: undefined, line: 6 },
      ]);
    });

    it("takes only comments that open with a directive: not prose that mentions one, not strings", () => {
      const file = source(
        [
          "// Write `async-lens-ignore-next-line blocking-call` to silence a finding.",
          "//   // async-lens-ignore-file",
          'const help = "// async-lens-ignore-file";',
          "const t = `/* async-lens-ignore-next-line */`;",
        ].join("\n"),
      );
      assert.deepEqual(parseSuppressions(file), []);
    });

    it("finds a directive written after code on the same line", () => {
      const file = source("const a = 1; // async-lens-ignore-next-line lock-order\nconst b = 2;\n");
      assert.deepEqual(parseSuppressions(file).map((s) => [s.kind, s.rules, s.line]), [["next-line", ["lock-order"], 1]]);
    });

    it("ranges over the directive itself, without the comment markers", () => {
      const file = source("  /* async-lens-ignore-file blocking-call */\n");
      const [s] = parseSuppressions(file);
      assert.deepEqual(s.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 41 } });
    });
  });

  describe("applying", () => {
    const text = [
      "async function f() {", // 0
      "  // async-lens-ignore-next-line blocking-call -- start-up only", // 1
      "  readFileSync(p);", // 2
      "  // async-lens-ignore-next-line", // 3
      "  execSync(c);", // 4
      "  readFileSync(q);", // 5
      "}",
    ].join("\n");

    it("drops findings on the next line for the named rules, or for every rule without ids", () => {
      const findings = [finding("blocking-call", 2), finding("lock-order", 2), finding("blocking-call", 4), finding("lock-order", 4), finding("blocking-call", 5)];
      assert.deepEqual(suppress(source(text), findings), ["lock-order@2", "blocking-call@5"]);
    });

    it("drops findings anywhere in the file for an ignore-file directive", () => {
      const kept = suppress(source(`/* async-lens-ignore-file blocking-call -- generated */\n${text}`), [finding("blocking-call", 30), finding("lock-order", 30)]);
      // The two next-line directives of the text now cover nothing and are reported.
      assert.deepEqual(kept, ["lock-order@30", "unused-suppression@2", "unused-suppression@4"]);
    });

    it("reports a directive that suppressed nothing, saying which rules it names, with a removal", () => {
      const file = source(text);
      assert.deepEqual(suppress(file, [finding("blocking-call", 5)]), ["blocking-call@5", "unused-suppression@1", "unused-suppression@3"]);
      const directives = parseSuppressions(file);
      applySuppressions([finding("blocking-call", 5)], directives);
      const [unused] = unusedSuppressions({ directives, rulesRun: ALL_RULES, knownRules: ALL_RULES });
      assert.match(messageOf(unusedSuppression.meta, unused), /suppresses nothing \(blocking-call\); remove it/);
      const fixed = applyEdits(text, [unused.directive.removal]).text;
      assert.equal(fixed, text.replace("  // async-lens-ignore-next-line blocking-call -- start-up only\n", ""));
    });

    it("is reported by the analyzer as a rule: its severity, doc link, tag and preferred fix", function () {
      this.timeout(60_000);
      const name = "/virtual/unused.ts";
      const withCode = "export const a = 1; // async-lens-ignore-next-line\nexport const b = 2;\n";
      const program = createInMemoryProgram({ [name]: withCode });
      const result = analyzeProgram(program, [program.getSourceFile(name)!], { config: DEFAULT_CONFIG, root: "/virtual" });
      assert.deepEqual(result.problems, []);
      assert.equal(result.findings.length, 1);
      const [unused] = result.findings;
      assert.equal(unused.rule, "unused-suppression");
      assert.equal(unused.messageId, "suppresses-nothing");
      assert.equal(unused.severity, "warning");
      assert.match(unused.href, /server\/docs\/rules\/unused-suppression\.md$/);
      assert.deepEqual(unused.tags, ["unnecessary"]);
      assert.equal(unused.fixes.length, 1);
      assert.equal(unused.fixes[0].isPreferred, true);
      // After code, only the comment goes.
      assert.equal(applyEdits(withCode, unused.fixes[0].edits).text, "export const a = 1;\nexport const b = 2;\n");
    });

    it("does not report a directive whose rules did not run", () => {
      // Line 1 names blocking-call only, which did not run; line 3 names no rule and covered line 4.
      assert.deepEqual(suppress(source(text), [finding("blocking-call", 4)], new Set(["lock-order"])), []);
    });

    it("reports a directive naming an unknown rule (a typo), which can never suppress anything", () => {
      const typo = "// async-lens-ignore-next-line blocking-cal -- start-up\nreadFileSync(p);\n";
      assert.deepEqual(suppress(source(typo), [finding("blocking-call", 1)]), ["blocking-call@1", "unused-suppression@0"]);
      const directives = parseSuppressions(source(typo));
      const [unknown] = unusedSuppressions({ directives, rulesRun: ALL_RULES, knownRules: ALL_RULES });
      assert.match(messageOf(unusedSuppression.meta, unknown), /names no known rule as blocking-cal, so it suppresses nothing; correct the rule id/);
      // A known rule that is switched off still keeps its directive quiet.
      const off = "// async-lens-ignore-next-line lock-order\nf();\n";
      assert.deepEqual(suppress(source(off), [], new Set(["blocking-call"])), []);
    });

    it("leaves a file without directives untouched", () => {
      const findings = [finding("blocking-call", 0)];
      assert.equal(applySuppressions(findings, parseSuppressions(source("f();\n"))), findings);
    });
  });
});
