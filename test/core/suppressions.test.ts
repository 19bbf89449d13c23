import * as assert from "node:assert/strict";
import * as ts from "typescript";
import { applyEdits } from "../../server/src/core/fixes/apply";
import { applySuppressions, parseSuppressions, UNUSED_SUPPRESSION_RULE } from "../../server/src/core/suppressions";
import type { Finding } from "../../server/src/core/types";

const HREF = "https://example.invalid/unused-suppression.md";
const source = (text: string) => ts.createSourceFile("/src/a.ts", text, ts.ScriptTarget.ES2022, true);

function finding(rule: string, line: number): Finding {
  return { rule, severity: "warning", message: `${rule} at ${line}`, file: "/src/a.ts", range: { start: { line, character: 2 }, end: { line, character: 8 } }, href: "", related: [], fixes: [] };
}

const ALL_RULES = new Set(["blocking-call", "lock-order", "unbounded-fanout"]);
const rulesOf = (findings: Finding[]) => findings.map((f) => `${f.rule}@${f.range.start.line}`);

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
      const kept = applySuppressions(source(text), [finding("blocking-call", 2), finding("lock-order", 2), finding("blocking-call", 4), finding("lock-order", 4), finding("blocking-call", 5)], ALL_RULES, HREF);
      assert.deepEqual(rulesOf(kept), ["lock-order@2", "blocking-call@5"]);
    });

    it("drops findings anywhere in the file for an ignore-file directive", () => {
      const kept = applySuppressions(source(`/* async-lens-ignore-file blocking-call -- generated */\n${text}`), [finding("blocking-call", 30), finding("lock-order", 30)], ALL_RULES, HREF);
      // The two next-line directives of the text now cover nothing and are reported.
      assert.deepEqual(rulesOf(kept), ["lock-order@30", `${UNUSED_SUPPRESSION_RULE}@2`, `${UNUSED_SUPPRESSION_RULE}@4`]);
    });

    it("reports a directive that suppressed nothing, with a fix that removes it", () => {
      const file = source(text);
      const kept = applySuppressions(file, [finding("blocking-call", 5)], ALL_RULES, HREF);
      assert.deepEqual(rulesOf(kept), ["blocking-call@5", `${UNUSED_SUPPRESSION_RULE}@1`, `${UNUSED_SUPPRESSION_RULE}@3`]);
      const unused = kept[1];
      assert.equal(unused.href, HREF);
      assert.deepEqual(unused.tags, ["unnecessary"]);
      assert.match(unused.message, /suppresses nothing \(blocking-call\); remove it/);
      assert.equal(unused.fixes.length, 1);
      assert.equal(unused.fixes[0].isPreferred, true);
      const fixed = applyEdits(text, unused.fixes[0].edits).text;
      assert.equal(fixed, text.replace("  // async-lens-ignore-next-line blocking-call -- start-up only\n", ""));
    });

    it("removes only the comment when it follows code", () => {
      const withCode = "const a = 1; // async-lens-ignore-next-line\nconst b = 2;\n";
      const [unused] = applySuppressions(source(withCode), [], ALL_RULES, HREF);
      assert.equal(applyEdits(withCode, unused.fixes[0].edits).text, "const a = 1;\nconst b = 2;\n");
    });

    it("does not report a directive whose rules did not run", () => {
      const kept = applySuppressions(source(text), [finding("blocking-call", 4)], new Set(["lock-order"]), HREF);
      // Line 1 names blocking-call only, which did not run; line 3 names no rule and covered line 4.
      assert.deepEqual(rulesOf(kept), []);
    });

    it("reports a directive naming an unknown rule (a typo), which can never suppress anything", () => {
      const typo = "// async-lens-ignore-next-line blocking-cal -- start-up\nreadFileSync(p);\n";
      const kept = applySuppressions(source(typo), [finding("blocking-call", 1)], ALL_RULES, HREF, ALL_RULES);
      assert.deepEqual(rulesOf(kept), ["blocking-call@1", `${UNUSED_SUPPRESSION_RULE}@0`]);
      assert.match(kept[1].message, /names no known rule as blocking-cal, so it suppresses nothing; correct the rule id/);
      // A known rule that is switched off still keeps its directive quiet.
      const off = "// async-lens-ignore-next-line lock-order\nf();\n";
      assert.deepEqual(applySuppressions(source(off), [], new Set(["blocking-call"]), HREF, ALL_RULES), []);
    });

    it("leaves a file without directives untouched", () => {
      const findings = [finding("blocking-call", 0)];
      assert.equal(applySuppressions(source("f();\n"), findings, ALL_RULES, HREF), findings);
    });
  });
});
