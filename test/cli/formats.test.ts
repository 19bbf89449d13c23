// The output formats on a hand-made report that has everything a finding can
// carry (related locations, fixes, every severity, an awkward path), and the
// SARIF checked against the official SARIF 2.1.0 schema.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { toJsonReport } from "../../server/src/cli/format-json";
import { formatPretty } from "../../server/src/cli/format-pretty";
import { toSarifLog } from "../../server/src/cli/format-sarif";
import type { CheckReport } from "../../server/src/cli/report";
import type { Finding, Severity } from "../../server/src/core/types";
import { makeProject, parseJson, removeProject, runCli } from "./run-cli";

// The schema published with the SARIF 2.1.0 standard (its final "rtm.5" revision),
// as shipped by Microsoft's SARIF SDK. It is written in JSON Schema draft-04.
const SARIF_SCHEMA = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;

function sarifValidator() {
  // unicodeRegExp: the schema's language-tag pattern is valid only as a non-Unicode regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(SARIF_SCHEMA);
}

const CWD = "/work/project";
const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

function finding(severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return {
    rule: "unused-suppression",
    severity,
    message: `A ${severity} finding.`,
    file: `${CWD}/src/handler.ts`,
    range: range(9, 4, 20),
    href: "https://example.invalid/doc.md",
    related: [],
    fixes: [],
    ...overrides,
  };
}

const REPORT: CheckReport = {
  cwd: CWD,
  files: 3,
  findings: [
    finding("warning", {
      file: `${CWD}/src/with space#1.ts`,
      range: range(0, 0, 5),
      related: [{ location: { file: `${CWD}/lib/util.ts`, range: range(2, 9, 21) }, message: "calls readFileSync here" }],
      fixes: [
        { title: "Use readFile", isPreferred: true, edits: [{ file: `${CWD}/src/with space#1.ts`, range: range(0, 0, 5), newText: "await x" }, { file: `${CWD}/src/with space#1.ts`, range: range(0, 0, 0), newText: 'import { x } from "y";\n' }] },
        { title: "Ignore this line", edits: [{ file: `${CWD}/src/with space#1.ts`, range: range(0, 0, 0), newText: "// async-lens-ignore-next-line -- reason\n" }] },
      ],
    }),
    finding("error"),
    finding("information", { range: range(12, 2, 3) }),
    finding("hint", { file: "/elsewhere/outside.ts", range: range(0, 0, 1) }),
  ],
  problems: [{ kind: "read", file: `${CWD}/src/video.ts`, message: "skipped: binary" }],
};

describe("output formats", () => {
  describe("json", () => {
    it("has 1-based positions, paths relative to the working folder, related locations and fix titles, sorted by place", () => {
      const json = toJsonReport(REPORT);
      assert.equal(json.version, 1);
      assert.equal(json.files, 3);
      assert.deepEqual(
        json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity}`),
        ["../../elsewhere/outside.ts:1:1-1:2 hint", "src/handler.ts:10:5-10:21 error", "src/handler.ts:13:3-13:4 information", "src/with space#1.ts:1:1-1:6 warning"],
      );
      const first = json.diagnostics[3];
      assert.deepEqual(first.related, [{ file: "lib/util.ts", line: 3, column: 10, message: "calls readFileSync here" }]);
      assert.deepEqual(first.fixes, [{ title: "Use readFile" }, { title: "Ignore this line" }]);
      assert.deepEqual(Object.keys(first), ["file", "line", "column", "endLine", "endColumn", "rule", "severity", "message", "related", "fixes"]);
    });
  });

  describe("sarif", () => {
    const validate = sarifValidator();

    it("is valid SARIF 2.1.0", () => {
      const log = toSarifLog(REPORT, "1.2.3");
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    });

    it("the schema check can fail: a log with a wrong level is rejected", () => {
      const log = toSarifLog(REPORT, "1.2.3") as unknown as { runs: { results: { level: string }[] }[] };
      log.runs[0].results[0].level = "information";
      assert.equal(validate(log), false);
    });

    it("describes every rule and maps severities to SARIF levels", () => {
      const run = toSarifLog(REPORT, "1.2.3").runs[0];
      const rules = run.tool.driver.rules ?? [];
      const unused = rules.find((r) => r.id === "unused-suppression");
      assert.ok(unused, "the unused-suppression check is described");
      assert.match(unused.helpUri ?? "", /server\/docs\/rules\/unused-suppression\.md$/);
      assert.equal(unused.defaultConfiguration?.level, "warning");
      for (const r of rules) assert.ok(r.shortDescription?.text, `${r.id} has a description`);
      assert.deepEqual(run.results?.map((r) => r.level), ["note", "error", "note", "warning"]);
      assert.equal(run.tool.driver.version, "1.2.3");
    });

    it("uses relative, percent-encoded URIs against %SRCROOT% with 1-based regions, related locations and fixes", () => {
      const run = toSarifLog(REPORT, "1.2.3").runs[0];
      assert.deepEqual(run.originalUriBaseIds, { "%SRCROOT%": { uri: "file:///work/project/" } });
      const result = run.results![3];
      assert.deepEqual(result.locations, [{ physicalLocation: { artifactLocation: { uri: "src/with%20space%231.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 6 } } }]);
      assert.deepEqual(result.relatedLocations, [
        { id: 0, physicalLocation: { artifactLocation: { uri: "lib/util.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 3, startColumn: 10, endLine: 3, endColumn: 22 } }, message: { text: "calls readFileSync here" } },
      ]);
      assert.equal(result.fixes?.length, 2);
      assert.deepEqual(result.fixes?.[0].artifactChanges[0].replacements[1], { deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: 'import { x } from "y";\n' } });
    });

    it("reports problems as tool notifications", () => {
      const invocation = toSarifLog(REPORT, "1.2.3").runs[0].invocations![0];
      assert.equal(invocation.executionSuccessful, true);
      assert.deepEqual(invocation.toolExecutionNotifications?.map((n) => [n.level, n.message.text]), [["warning", "skipped: binary"]]);
    });

    it("the CLI's --format sarif output is valid SARIF 2.1.0", function () {
      this.timeout(180_000);
      const dir = makeProject({ "src/a.ts": "// async-lens-ignore-next-line\nexport const x = 1;\n" });
      try {
        const r = runCli(["check", "src", "--format", "sarif"], { cwd: dir });
        assert.equal(r.code, 0, r.stderr);
        const log = parseJson<ReturnType<typeof toSarifLog>>(r);
        assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
        assert.equal(log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation?.uri, "src/a.ts");
        assert.equal(log.runs[0].originalUriBaseIds?.["%SRCROOT%"].uri, `${new URL(`file://${path.resolve(dir)}/`).href}`);
      } finally {
        removeProject(dir);
      }
    });
  });

  describe("pretty", () => {
    it("prints one line per finding with related locations indented and a summary", () => {
      const text = formatPretty(REPORT, { color: false });
      assert.equal(
        text,
        [
          "../../elsewhere/outside.ts:1:1  hint  A hint finding.  unused-suppression",
          "src/handler.ts:10:5  error  A error finding.  unused-suppression",
          "src/handler.ts:13:3  info  A information finding.  unused-suppression",
          "src/with space#1.ts:1:1  warning  A warning finding.  unused-suppression",
          "    lib/util.ts:3:10  calls readFileSync here",
          "",
          "✖ 4 problems (1 error, 1 warning, 2 info) in 3 files.",
          "  1 of them can be fixed with the --fix option.",
          "  1 file could not be analysed or fixed fully (see the errors above).",
          "",
        ].join("\n"),
      );
    });

    it("colours severities only when asked", () => {
      assert.match(formatPretty(REPORT, { color: true }), /\u001b\[31merror\u001b\[39m/);
      assert.doesNotMatch(formatPretty(REPORT, { color: false }), /\u001b/);
    });

    it("says when nothing was found", () => {
      assert.equal(formatPretty({ cwd: CWD, files: 2, findings: [], problems: [] }, { color: false }), "✔ No problems found in 2 files.\n");
    });
  });
});
