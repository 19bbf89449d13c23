// Inputs that used to corrupt files, crash the whole check or hang it: files
// that are not valid UTF-8, deeply nested code, FIFOs and symbolic links.
// Random inputs come from fast-check; each run is a real check of real files.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { firstInvalidUtf8Byte } from "../../server/src/core/source-text";
import { parseJson, runCheckInProcess, runCli, tempProjects } from "./run-cli";

interface JsonReport {
  files: number;
  diagnostics: { file: string; rule: string; line: number }[];
}

const BLOCKING = 'import { readFileSync } from "node:fs";\nexport async function load(): Promise<string> {\n  return readFileSync("x", "utf8");\n}\n';

/** A file with a fixable finding and `bytes` inside a comment and a string literal. */
function fixableWith(bytes: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from("// note: "),
    bytes,
    Buffer.from('\nimport { readFileSync } from "node:fs";\nexport async function load(): Promise<string> {\n  const tag = "'),
    bytes,
    Buffer.from('";\n  return readFileSync("x", "utf8") + tag;\n}\n'),
  ]);
}

/** Bytes that cannot end a comment or a string literal early. */
const payloadBytes = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => b.map((x) => (x === 0x0a || x === 0x0d || x === 0x22 || x === 0x5c || x === 0x00 ? 0x41 : x)));
/** Text with non-ASCII characters, encoded as an editor might have saved it. */
const encodedText = fc
  .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), fc.constantFrom<BufferEncoding>("utf8", "latin1", "utf16le"))
  .map(([text, encoding]) => Buffer.from(text.replace(/["\\\r\n\u2028\u2029\0]/g, "a"), encoding))
  .map((b) => b.map((x) => (x === 0x0a || x === 0x0d || x === 0x22 || x === 0x5c || x === 0x00 ? 0x41 : x)));

describe("async-lens check on hostile input", function () {
  this.timeout(240_000);
  const project = tempProjects();

  describe("files that are not valid UTF-8", () => {
    it("finds the first invalid byte exactly where a strict decoder fails", () => {
      const strict = new TextDecoder("utf-8", { fatal: true });
      const decodes = (bytes: Uint8Array) => {
        try {
          strict.decode(bytes);
          return true;
        } catch {
          return false;
        }
      };
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
          const at = firstInvalidUtf8Byte(bytes);
          assert.equal(at === undefined, decodes(bytes));
          if (at !== undefined) assert.ok(decodes(bytes.subarray(0, at)), "everything before the reported byte is valid");
        }),
        { numRuns: 2000 },
      );
    });

    it("--fix changes only the edited ranges of a UTF-8 file and refuses any other file, leaving it byte for byte", async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(payloadBytes, encodedText), async (bytes) => {
          const original = fixableWith(bytes);
          const dir = project({ "a.ts": original });
          const r = await runCheckInProcess(["a.ts", "--fix", "--format", "json"], dir);
          const after = fs.readFileSync(path.join(dir, "a.ts"));
          if (firstInvalidUtf8Byte(original) === undefined) {
            assert.match(r.stderr, /applied \d+ edits? to 1 file/, r.stderr);
            assert.ok(after.includes(Buffer.concat([Buffer.from("// note: "), Buffer.from(bytes), Buffer.from("\n")])), "the comment keeps its bytes");
            assert.ok(after.includes(Buffer.concat([Buffer.from('const tag = "'), Buffer.from(bytes), Buffer.from('";')])), "the string keeps its bytes");
            assert.ok(after.includes(Buffer.from("await readFile(")));
          } else {
            assert.ok(after.equals(original), "a file that cannot be written back byte for byte is left untouched");
            assert.match(r.stderr, /error: cannot apply fixes to a\.ts: it is not valid UTF-8 \(byte 0x[0-9A-F]{2} on line \d\)/);
            assert.equal(r.code, 1);
          }
        }),
        { numRuns: 12 },
      );
    });

    it("says so on a plain check, analyses the file anyway and does not fail for it", async () => {
      const dir = project({ "a.ts": Buffer.concat([Buffer.from("// caf"), Buffer.from([0xe9]), Buffer.from("\n"), Buffer.from(BLOCKING)]) });
      const r = await runCheckInProcess(["a.ts", "--format", "json"], dir);
      assert.match(r.stderr, /warning: a\.ts is not valid UTF-8 \(byte 0xE9 on line 1\)/);
      assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => [d.rule, d.line]), [["blocking-call", 4]]);
      assert.equal(r.code, 0, "a notice alone does not fail the check");
    });
  });

  describe("deeply nested code", () => {
    const shapes: Record<string, (n: number) => string> = {
      arrows: (n) => `export const f = ${"() => ".repeat(n)}1;\n`,
      parentheses: (n) => `export const p = ${"(".repeat(n)}1${")".repeat(n)};\n`,
      blocks: (n) => `export async function g() {${"if (Math.random()) {".repeat(n)}await 0;${"}".repeat(n)}}\n`,
      calls: (n) => `declare function f(x: unknown): unknown;\nexport const c = ${"f(".repeat(n)}1${")".repeat(n)};\n`,
      asyncArrows: (n) => `export const a = ${"async () => { await 0; return ".repeat(n)}1${"; }".repeat(n)};\n`,
      objects: (n) => `export const o = ${"{ a: ".repeat(n)}1${" }".repeat(n)};\n`,
      concatenation: (n) => `export const s = ${'"x" + '.repeat(n)}"y";\n`,
    };

    it("is a problem line for that file, with every other file analysed and printed", async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(shapes)), fc.integer({ min: 1, max: 20_000 }), async (shape, depth) => {
          const dir = project({ "deep.ts": shapes[shape](depth), "ok.ts": BLOCKING });
          const r = await runCheckInProcess([".", "--format", "json"], dir);
          assert.doesNotMatch(r.stderr, /internal error|RangeError|Maximum call stack/, r.stderr);
          const report = parseJson<JsonReport>(r);
          assert.deepEqual(report.diagnostics.filter((d) => d.file === "ok.ts").map((d) => d.rule), ["blocking-call"]);
          if (/deep\.ts/.test(r.stderr)) {
            assert.match(r.stderr, /^async-lens: error: skipped deep\.ts: its code is nested too deeply to analyse/m);
            assert.equal(r.code, 1, "an unanalysed file fails the check as any other");
          } else {
            assert.equal(report.files, 2);
            assert.equal(r.code, 0, r.stderr);
          }
        }),
        { numRuns: 14, examples: [["blocks", 1000], ["parentheses", 20_000], ["concatenation", 5000]] },
      );
    });
  });

  describe("paths that are not plain files", () => {
    it("says a FIFO given as a path is not a regular file instead of waiting for a writer", () => {
      const dir = project({ "ok.ts": BLOCKING });
      execFileSync("mkfifo", [path.join(dir, "pipe.ts")]);
      const r = runCli(["check", "pipe.ts", "ok.ts"], { cwd: dir, timeoutMs: 60_000 });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /error: pipe\.ts is not a regular file/);
      assert.match(r.stdout, /ok\.ts:3:10 {2}warning/);
    });

    it("follows symbolic links in a loose folder, ends link loops and says which links lead nowhere", async () => {
      const dir = project({ "src/a.ts": BLOCKING, "elsewhere/lib/b.ts": BLOCKING.replace("load", "loadB") });
      fs.symlinkSync(path.join(dir, "elsewhere/lib"), path.join(dir, "src/lib"));
      fs.symlinkSync(path.join(dir, "src/a.ts"), path.join(dir, "src/alias.ts"));
      fs.symlinkSync(path.join(dir, "src"), path.join(dir, "src/loop"));
      fs.symlinkSync(path.join(dir, "gone.ts"), path.join(dir, "src/broken.ts"));
      const r = await runCheckInProcess(["src", "--format", "json"], dir);
      assert.deepEqual(parseJson<JsonReport>(r).diagnostics.map((d) => d.file), ["src/a.ts", "src/lib/b.ts"]);
      assert.match(r.stderr, /warning: skipped src\/broken\.ts: a symbolic link to nothing readable \(ENOENT\)/);
      assert.equal(r.code, 0, r.stderr);
    });
  });
});
