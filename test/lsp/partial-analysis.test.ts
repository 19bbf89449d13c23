// The language server's partial analysis after an edit (server/src/core/partial-analysis.ts),
// against the real TypeScript LanguageService: what it publishes must be what a
// full analysis of the same text finds, and what an analysis from scratch
// finds, for random edits to the rules' fixtures, and a caller elsewhere in the
// file must follow a helper it calls.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { DEFAULT_CONFIG } from "../../server/src/core/config";
import { analyseFile, type FileAnalysis } from "../../server/src/lsp/analysis";
import { DEFAULT_SETTINGS } from "../../server/src/lsp/settings";
import { Workspace } from "../../server/src/lsp/workspace";
import { FIXTURES_ROOT } from "../support/fixtures";
import { tempDir } from "../core/temp-dir";

/** Fixtures with findings of every rule, several units each, TypeScript and JavaScript. */
const SEEDS = [
  "blocking-call/chains/handlers.ts",
  "blocking-call/promise-code.js",
  "blocking-call/getters.ts",
  "blocking-call/run-once.ts",
  "ignored-backpressure/handlers.ts",
  "ignored-backpressure/untyped-child-logs.js",
  "lock-across-await/session-store.ts",
  "lock-across-await/untyped-libraries.js",
  "lock-order/transfers.ts",
  "lock-not-released/early-release-paths.ts",
  "lock-reentry/keyed.ts",
  "unused-suppression/stale.ts",
  "unbounded-queue/task-queue-producers.ts",
  "unbounded-queue/offline-queue.js",
  "unbounded-fanout/fetch-all.ts",
].map((f) => path.join(FIXTURES_ROOT, f));

/** What a keystroke or a pasted line adds at the start of a line. */
const INSERTS = [" ", "\n", "// note\n", 'fs.readFileSync("x");\n', "await fetch(u);\n", "for (;;) {}\n"];

/** The findings as an editor shows them. */
function shown(result: FileAnalysis): string {
  return JSON.stringify(result.findings);
}

class Editor {
  private readonly open = new Map<string, { text: string; version: number }>();
  readonly workspace = new Workspace({ get: (file) => this.open.get(file) });

  constructor(folder: string) {
    this.workspace.setFolders([folder]);
  }

  /** Sets the file's text and analyses it: in part after `previous`, and in full, which must agree. */
  analyse(file: string, text: string, previous?: FileAnalysis): { partial: FileAnalysis; full: FileAnalysis } {
    const version = (this.open.get(file)?.version ?? 0) + 1;
    this.open.set(file, { text, version });
    const project = this.workspace.projectOf(file);
    const partial = analyseFile(project, file, version, 0, DEFAULT_CONFIG, DEFAULT_SETTINGS, previous);
    const full = analyseFile(project, file, version, 0, DEFAULT_CONFIG, DEFAULT_SETTINGS);
    return { partial, full };
  }

  dispose(): void {
    this.workspace.dispose();
  }
}

describe("partial analysis after an edit", function () {
  this.timeout(120_000);

  it("publishes what a full analysis finds, for random edits to fixtures of every rule", () => {
    for (const seed of SEEDS) assert.ok(fs.existsSync(seed), `${seed} is missing`);
    let partials = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...INSERTS)), { minLength: 1, maxLength: 4 }),
        (seedIndex, edits) => {
          const file = SEEDS[seedIndex];
          const editor = new Editor(path.dirname(file));
          try {
            let text = fs.readFileSync(file, "utf8");
            let previous = editor.analyse(file, text).full;
            for (const [at, insert] of edits) {
              const lines = text.split("\n");
              const line = Math.floor(at * lines.length);
              lines.splice(line, 1, insert + (lines[line] ?? ""));
              text = lines.join("\n");
              const { partial, full } = editor.analyse(file, text, previous);
              if (partial.partial) partials++;
              assert.equal(shown(partial), shown(full), `after inserting ${JSON.stringify(insert)} at line ${line + 1} of ${path.relative(FIXTURES_ROOT, file)}`);
              previous = partial;
            }
            // What the edits left, analysed from scratch: nothing kept from the earlier trees (reused nodes, their memos) may differ.
            const fresh = new Editor(path.dirname(file));
            try {
              assert.equal(shown(previous), shown(fresh.analyse(file, text).full), `a fresh analysis of the edited ${path.relative(FIXTURES_ROOT, file)} differs`);
            } finally {
              fresh.dispose();
            }
          } finally {
            editor.dispose();
          }
        },
      ),
      { numRuns: 40, seed: 20261206 },
    );
    // Not a vacuous pass: most of those edits were analysed in part.
    assert.ok(partials > 40, `only ${partials} edits were analysed in part`);
  });

  it("re-checks a caller in another unit when the helper it calls stops or starts blocking", () => {
    const helperBlocks = "  return fs.readFileSync(name, \"utf8\");";
    const helperDoesNot = "  return name.toUpperCase();";
    const source = (helper: string) =>
      [
        'import * as fs from "node:fs";',
        "",
        "function loadTemplate(name: string): string {",
        helper,
        "}",
        "",
        "export class Mailer {",
        "  async send(to: string): Promise<string> {",
        "    return `${to}: ${loadTemplate(\"welcome\")}`;",
        "  }",
        "",
        "  async ping(): Promise<number> {",
        "    return fs.statSync(\".\").size;",
        "  }",
        "}",
        "",
      ].join("\n");
    const { dir, cleanup } = tempDir({ "mailer.ts": source(helperBlocks), "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, types: [] }, include: ["*.ts"] }) });
    const editor = new Editor(dir);
    try {
      const file = path.join(dir, "mailer.ts");
      const first = editor.analyse(file, source(helperBlocks)).full;
      const lines = (r: FileAnalysis) => r.findings.filter((f) => f.rule === "blocking-call").map((f) => f.range.start.line + 1);
      assert.deepEqual(lines(first), [9, 13], "the chain through loadTemplate, and statSync");
      const quiet = editor.analyse(file, source(helperDoesNot), first);
      assert.ok(quiet.partial.partial, "the edit of one function was analysed in part");
      assert.deepEqual(lines(quiet.partial), [13], "the caller in the class no longer reaches a blocking call");
      const again = editor.analyse(file, source(helperBlocks), quiet.partial);
      assert.ok(again.partial.partial);
      assert.deepEqual(lines(again.partial), [9, 13]);
      // Lines added above move the kept finding of `ping` with them.
      const moved = editor.analyse(file, `// a\n// b\n${source(helperBlocks)}`, again.partial);
      assert.ok(moved.partial.partial);
      assert.deepEqual(lines(moved.partial), [11, 15]);
      assert.equal(shown(moved.partial), shown(moved.full));
    } finally {
      editor.dispose();
      cleanup();
    }
  });
});
