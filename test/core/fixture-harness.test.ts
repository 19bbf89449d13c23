// The fixture harness itself: if it read markers wrongly, every rule's fixture
// tests would pass or fail for the wrong reason.
import * as assert from "node:assert/strict";
import { assertFindingsMatch, expectsNothing, parseExpectations } from "../support/fixtures";
import type { Finding } from "../../server/src/core/types";

const found = (line: number, start: number, end: number, rule = "blocking-call", message = "readFileSync blocks", endLine = line): Finding => ({
  rule,
  severity: "warning",
  message,
  file: "/f/a.ts",
  range: { start: { line, character: start }, end: { line: endLine, character: end } },
  href: "",
  related: [],
  fixes: [],
});

describe("fixture harness", () => {
  const text = [
    "async function f() {",
    "  const a = fs.readFileSync(p);",
    "  //        ~~~~~~~~~~~~~~~~~~ [blocking-call]",
    "  const b = fs.readFileSync(q);",
    "//          ~~~~~~~~~~~~~~~~~~ [blocking-call: readFileSync]",
    "  //          ~~~~~~~~~~~~~~~~~~ [lock-order]",
    "}",
  ].join("\n");

  it("reads the rule, the columns under the line above, and the message text", () => {
    assert.deepEqual(parseExpectations("/f/a.ts", text), [
      { file: "/f/a.ts", line: 1, startColumn: 12, endColumn: 30, rule: "blocking-call", messageId: undefined, messageIncludes: undefined },
      { file: "/f/a.ts", line: 3, startColumn: 12, endColumn: 30, rule: "blocking-call", messageId: undefined, messageIncludes: "readFileSync" },
      { file: "/f/a.ts", line: 3, startColumn: 14, endColumn: 32, rule: "lock-order", messageId: undefined, messageIncludes: undefined },
    ]);
  });

  it("expects nothing from a file without markers", () => {
    assert.deepEqual(parseExpectations("/f/b.ts", "const x = 1;\n// a comment with ~~~ tildes\n"), []);
  });

  it("passes when every marker is found and nothing else", () => {
    assertFindingsMatch(parseExpectations("/f/a.ts", text), [found(1, 12, 30), found(3, 12, 30), found(3, 14, 32, "lock-order")]);
  });

  it("matches a finding that spans lines on its start", () => {
    assertFindingsMatch(parseExpectations("/f/a.ts", text).slice(0, 1), [found(1, 12, 4, "blocking-call", "x", 2)]);
  });

  it("reads and matches a named message: [rule/message-id]", () => {
    const named = "f();\n// ~~~ [unused-suppression/unknown-rule: typo]\n";
    const expectations = parseExpectations("/f/a.ts", named);
    assert.deepEqual(expectations.map((e) => [e.rule, e.messageId, e.messageIncludes]), [["unused-suppression", "unknown-rule", "typo"]]);
    const finding = { ...found(0, 3, 6, "unused-suppression", "a typo"), messageId: "unknown-rule" };
    assertFindingsMatch(expectations, [finding]);
    assert.throws(() => assertFindingsMatch(expectations, [{ ...finding, messageId: "suppresses-nothing" }]), /missing: a\.ts:1:4-7 \[unused-suppression\/unknown-rule\]/);
  });

  it("takes `// expect: nothing` only from the comments that open a file", () => {
    assert.equal(expectsNothing("// expect: nothing\nconst x = 1;\n"), true);
    assert.equal(expectsNothing("/// <reference path=\"a.d.ts\" />\n\n//   expect: nothing\nf();\n"), true);
    assert.equal(expectsNothing("const x = 1;\n// expect: nothing\n"), false);
    assert.equal(expectsNothing("// expect: nothing much\n"), false);
  });

  it("fails on a missing finding, an unexpected one, wrong columns or a message without the text", () => {
    const expectations = parseExpectations("/f/a.ts", text);
    assert.throws(() => assertFindingsMatch(expectations, [found(1, 12, 30), found(3, 14, 32, "lock-order")]), /missing: a\.ts:4:13-31 \[blocking-call\] containing "readFileSync"/);
    assert.throws(() => assertFindingsMatch(expectations, [found(1, 12, 30), found(3, 12, 30), found(3, 14, 32, "lock-order"), found(5, 0, 1)]), /unexpected: a\.ts:6:1-6:2 \[blocking-call\]/);
    assert.throws(() => assertFindingsMatch(expectations.slice(0, 1), [found(1, 11, 30)]), /missing/);
    assert.throws(() => assertFindingsMatch(expectations.slice(1, 2), [found(3, 12, 30, "blocking-call", "execSync blocks")]), /missing/);
  });
});
