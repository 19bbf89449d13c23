import * as assert from "node:assert/strict";
import { scopesOf, tokenize } from "./tokenize";

const KEYWORD = "keyword.control.directive.async-lens";
const RULE = "constant.other.rule-id.async-lens";
const REASON = "string.unquoted.reason.async-lens";

describe("directive injection grammar", () => {
  it("marks the directive, each rule id and the reason in a TypeScript line comment", async () => {
    const tokens = await tokenize("source.ts", [
      "async function f() {",
      "  // async-lens-ignore-next-line blocking-call, lock-order -- read once at startup",
      "  readFileSync(p);",
      "}",
    ].join("\n"));
    assert.ok(scopesOf(tokens, "async-lens-ignore-next-line").includes(KEYWORD));
    assert.ok(scopesOf(tokens, "blocking-call").includes(RULE));
    assert.ok(scopesOf(tokens, "lock-order").includes(RULE));
    assert.ok(scopesOf(tokens, ",").includes("punctuation.separator.comma.async-lens"));
    assert.ok(scopesOf(tokens, "--").includes("punctuation.separator.reason.async-lens"));
    const reason = scopesOf(tokens, " read once at startup");
    assert.ok(reason.includes(REASON));
    assert.ok(reason.includes("comment.line.double-slash.ts"), "the reason stays inside the comment");
  });

  it("marks a file directive in a block comment and stops before the comment's end", async () => {
    const tokens = await tokenize("source.ts", "/* async-lens-ignore-file unbounded-queue -- a bounded stream feeds it */\nconst x = 1;");
    assert.ok(scopesOf(tokens, "async-lens-ignore-file").includes(KEYWORD));
    assert.ok(scopesOf(tokens, "unbounded-queue").includes(RULE));
    assert.ok(scopesOf(tokens, " a bounded stream feeds it").includes(REASON));
    assert.ok(!scopesOf(tokens, "*/").includes(REASON));
    assert.ok(scopesOf(tokens, "*/").includes("comment.block.ts"));
  });

  it("accepts JSDoc stars before the directive and a directive without rule ids", async () => {
    const tokens = await tokenize("source.ts", "/** async-lens-ignore-file */");
    assert.ok(scopesOf(tokens, "async-lens-ignore-file").includes(KEYWORD));
  });

  for (const scope of ["source.js", "source.tsx", "source.js.jsx"]) {
    it(`is injected into ${scope}`, async () => {
      const tokens = await tokenize(scope, "// async-lens-ignore-next-line lock-reentry -- the lock is reentrant here\nf();");
      assert.ok(scopesOf(tokens, "async-lens-ignore-next-line").includes(KEYWORD));
      assert.ok(scopesOf(tokens, "lock-reentry").includes(RULE));
    });
  }

  it("leaves strings and comments that do not hold a directive alone", async () => {
    const tokens = await tokenize("source.ts", [
      'const s = "// async-lens-ignore-file blocking-call";',
      "// see async-lens-ignore-file",
      "// async-lens-ignore-filex blocking-call",
    ].join("\n"));
    for (const token of tokens) assert.ok(!token.scopes.some((s) => s.endsWith(".async-lens")), `${JSON.stringify(token.text)}: ${token.scopes.join(" ")}`);
  });
});

describe("output channel grammar", () => {
  it("colours log levels, times, locations, durations and quoted names", async () => {
    const tokens = await tokenize("source.async-lens-output", [
      "[error 12:03:04.512] Request textDocument/diagnostic failed for 'src/a.ts'",
      "[warn  12:03:04.600] Config src/async-lens.config.json:3:5 is not valid JSON",
      "[info  12:03:05.001] Project examples/demo/tsconfig.json loaded in 812 ms",
      "[debug 12:03:05.002] 3 files",
      "[Trace - 12:03:05 PM] Sending request 'textDocument/hover - (7)'.",
    ].join("\n"));
    assert.ok(scopesOf(tokens, "error").includes("markup.deleted.level.error.async-lens-output"));
    assert.ok(scopesOf(tokens, "warn").includes("markup.changed.level.warn.async-lens-output"));
    assert.ok(scopesOf(tokens, "info").includes("markup.inserted.level.info.async-lens-output"));
    assert.ok(scopesOf(tokens, "debug").includes("comment.level.debug.async-lens-output"));
    assert.ok(scopesOf(tokens, "Trace").includes("comment.level.trace.async-lens-output"));
    assert.ok(scopesOf(tokens, "12:03:04.512").includes("constant.numeric.time.async-lens-output"));
    assert.ok(scopesOf(tokens, "src/async-lens.config.json:3:5").includes("markup.underline.link.location.async-lens-output"));
    assert.ok(scopesOf(tokens, "812 ms").includes("constant.numeric.duration.async-lens-output"));
    assert.ok(scopesOf(tokens, "'src/a.ts'").includes("string.quoted.async-lens-output"));
    assert.deepEqual(scopesOf(tokens, " 3 files", 3), ["source.async-lens-output"]);
  });
});
