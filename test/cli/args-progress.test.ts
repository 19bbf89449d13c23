import * as assert from "node:assert/strict";
import { parseCheckArgs } from "../../server/src/cli/args";
import { exitCode, useColor } from "../../server/src/cli/check";
import { PROGRESS_LARGE_FILE, PROGRESS_MIN_FILES, ProgressLine } from "../../server/src/cli/progress";
import type { Finding, Severity } from "../../server/src/core/types";

describe("check arguments", () => {
  it("reads paths and every option, in both --opt value and --opt=value forms", () => {
    const parsed = parseCheckArgs(["src", "--project", "tsconfig.build.json", "lib", "--format=sarif", "--fix", "--max-warnings", "3", "--rule", "unused-suppression=off", "--rule=unused-suppression=error"]);
    assert.deepEqual(parsed, {
      ok: true,
      args: { paths: ["src", "lib"], project: "tsconfig.build.json", format: "sarif", fix: true, maxWarnings: 3, ruleOverrides: { "unused-suppression": "error" } },
    });
  });

  it("defaults to pretty output, no limit on warnings and no overrides", () => {
    assert.deepEqual(parseCheckArgs([]), { ok: true, args: { paths: [], project: undefined, format: "pretty", fix: false, maxWarnings: undefined, ruleOverrides: {} } });
  });

  it("collects every usage error at once", () => {
    const parsed = parseCheckArgs(["--format", "xml", "--rule", "nope=warning", "--rule", "lock-reentri=off", "--rule", "unused-suppression=loud", "--max-warnings", "1.5", "--fix=yes", "-x"]);
    assert.equal(parsed.ok, false);
    assert.deepEqual(parsed.ok === false && parsed.errors, [
      "unknown format 'xml' (expected pretty, json, sarif)",
      "--rule unused-suppression: unknown severity 'loud' (expected off, hint, information, warning, error)",
      "--max-warnings expects a whole number, got '1.5'",
      "--fix takes no value",
      "unknown option '-x'",
      "--rule: unknown rule 'nope'",
      "--rule: unknown rule 'lock-reentri' (did you mean 'lock-reentry'?)",
    ]);
  });

  it("asks for help", () => {
    assert.deepEqual(parseCheckArgs(["src", "-h"]), { ok: "help" });
  });
});

describe("exit code", () => {
  const f = (severity: Severity): Finding => ({ rule: "r", severity, message: "", file: "a.ts", range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, href: "", related: [], fixes: [] });
  const report = (findings: Finding[], problems: { kind: "usage" | "config" | "read" | "internal"; message: string }[] = []) => ({ cwd: "/", files: 1, findings, problems });

  it("is 0 with only warnings and notes and no limit", () => {
    assert.equal(exitCode(report([f("warning"), f("information"), f("hint")]), { maxWarnings: undefined }), 0);
  });
  it("is 1 with an error finding, or more warnings than the limit", () => {
    assert.equal(exitCode(report([f("error")]), { maxWarnings: undefined }), 1);
    assert.equal(exitCode(report([f("warning"), f("warning")]), { maxWarnings: 1 }), 1);
    assert.equal(exitCode(report([f("warning"), f("warning")]), { maxWarnings: 2 }), 0);
  });
  it("is 1 when a file could not be analysed", () => {
    assert.equal(exitCode(report([], [{ kind: "read", message: "" }]), { maxWarnings: undefined }), 1);
    assert.equal(exitCode(report([], [{ kind: "internal", message: "" }]), { maxWarnings: undefined }), 1);
  });
  it("is 2 on a usage or configuration error, whatever was found", () => {
    assert.equal(exitCode(report([f("error")], [{ kind: "config", message: "" }]), { maxWarnings: undefined }), 2);
    assert.equal(exitCode(report([], [{ kind: "usage", message: "" }]), { maxWarnings: undefined }), 2);
  });
});

describe("colour", () => {
  const tty = { isTTY: true, write: () => true };
  const pipe = { isTTY: false, write: () => true };
  it("follows the terminal, NO_COLOR and FORCE_COLOR", () => {
    assert.equal(useColor({ env: {}, stdout: tty }), true);
    assert.equal(useColor({ env: {}, stdout: pipe }), false);
    assert.equal(useColor({ env: { NO_COLOR: "1" }, stdout: tty }), false);
    assert.equal(useColor({ env: { NO_COLOR: "" }, stdout: tty }), true, "an empty NO_COLOR does not count");
    assert.equal(useColor({ env: { FORCE_COLOR: "1" }, stdout: pipe }), true);
    assert.equal(useColor({ env: { FORCE_COLOR: "0" }, stdout: tty }), false);
  });
});

describe("progress line", () => {
  function stream(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, isTTY, columns: 40, write: (text: string) => writes.push(text) > 0 };
  }

  it("counts files on a terminal for a large project, rate-limited, and clears itself", () => {
    const s = stream(true);
    let now = 0;
    const progress = new ProgressLine(s, () => now);
    progress.status("Loading project…");
    const total = PROGRESS_MIN_FILES * 2;
    for (let done = 1; done <= total; done++) {
      now += 10;
      progress.file(done, total);
    }
    progress.clear();
    assert.equal(s.writes[0], "\r\u001b[KLoading project…");
    const counts = s.writes.filter((w) => w.includes("Analysing"));
    // One redraw per 100 ms of a 1 s run, plus the final count.
    assert.ok(counts.length >= 9 && counts.length <= 12, `${counts.length} redraws`);
    assert.equal(counts.at(-1), `\r\u001b[KAnalysing ${total}/${total} files (100%)`);
    assert.equal(s.writes.at(-1), "\r\u001b[K");
  });

  it("names a large file while it is analysed, even alone", () => {
    const s = stream(true);
    s.columns = 80;
    const progress = new ProgressLine(s, () => 0);
    progress.fileStarted("small.ts", 2_000, 0, 2);
    progress.fileStarted("gen/generated.ts", 5.2 * 1024 * 1024, 1, 2);
    progress.fileStarted("only.ts", PROGRESS_LARGE_FILE, 0, 1);
    assert.deepEqual(s.writes, ["\r\u001b[KAnalysing gen/generated.ts (5.2 MB, file 2 of 2)…", "\r\u001b[KAnalysing only.ts (1.0 MB)…"]);
  });

  it("stays quiet for a small project", () => {
    const s = stream(true);
    const progress = new ProgressLine(s, () => 0);
    for (let done = 1; done < PROGRESS_MIN_FILES; done++) progress.file(done, PROGRESS_MIN_FILES - 1);
    assert.deepEqual(s.writes, []);
  });

  it("never writes when stderr is not a terminal", () => {
    const s = stream(false);
    const progress = new ProgressLine(s, () => 0);
    progress.status("Loading project…");
    for (let done = 1; done <= 200; done++) progress.file(done, 200);
    progress.clear();
    assert.deepEqual(s.writes, []);
  });

  it("fits the line to the terminal width", () => {
    const s = stream(true);
    new ProgressLine(s).status("x".repeat(100));
    assert.equal(s.writes[0], `\r\u001b[K${"x".repeat(39)}`);
  });
});
