// Property test: thousands of mutated sources (fixtures and the demo, with
// characters and tokens deleted, inserted, duplicated, truncated) go through
// the whole core with every rule. Whatever the input, the analysis must not
// throw, no rule may fail ("internal" problems), and every finding must point
// inside its file.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import type * as ts from "typescript";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { DEFAULT_CONFIG } from "../../server/src/core/config";
import { applyEdits } from "../../server/src/core/fixes/apply";
import { createInMemoryProgram, INFERRED_OPTIONS, isSourceFileName } from "../../server/src/core/project";
import type { Range } from "../../server/src/core/types";
import { FIXTURES_ROOT } from "../support/fixtures";

const REPO_ROOT = path.resolve(__dirname, "../../..");

function sourcesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourcesUnder(full);
    return isSourceFileName(entry.name) ? [full] : [];
  });
}

interface Seed {
  file: string;
  text: string;
}

const SEEDS: Seed[] = [...sourcesUnder(FIXTURES_ROOT), ...sourcesUnder(path.join(REPO_ROOT, "examples/demo/src"))]
  .sort()
  .map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));

/** Tokens that change the shape of a program the most when they appear where they should not. */
const TOKENS = ["{", "}", "(", ")", "[", "]", ";", ",", "=>", "await ", "async ", "function ", "yield ", "new ", "return ", "try {", "} finally {", "<T>", "...", "?.", "!", "`", "${", '"', "'", "/*", "*/", "//", "\n", "\\", "@", "#x", "0x", "1e999", "\u0000", "\uFFFF", "😀", "acquire()", "release()", ".write(", "Promise.all(", "readFileSync(", "runExclusive(async () => {"];

type Mutation =
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; token: string }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "truncate"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
) as fc.Arbitrary<Mutation>;

/** Positions are fractions of the text's length, so one mutation list fits any seed. */
function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length);
    switch (m.kind) {
      case "delete":
        out = out.slice(0, at) + out.slice(at + m.length);
        break;
      case "insert":
        out = out.slice(0, at) + m.token + out.slice(at);
        break;
      case "duplicate":
        out = out.slice(0, at + m.length) + out.slice(at, at + m.length) + out.slice(at + m.length);
        break;
      case "truncate":
        out = out.slice(0, at);
        break;
    }
  }
  return out;
}

function rangeInside(range: Range, text: string): boolean {
  const lines = text.split("\n");
  const { start, end } = range;
  const ordered = start.line < end.line || (start.line === end.line && start.character <= end.character);
  return ordered && end.line < lines.length && start.character <= lines[start.line].length && end.character <= lines[end.line].length;
}

/** Mutated files sit beside their seed (in memory only), so imports of siblings and node_modules still resolve. */
const BATCH = 25;
const RUNS = 80;

describe("the core on mutated sources (property)", function () {
  this.timeout(120_000);
  let previous: ts.Program | undefined;

  it(`never throws and no rule fails, on ${BATCH * RUNS} mutated sources`, () => {
    assert.ok(SEEDS.length >= 20, `too few seed files (${SEEDS.length})`);
    const sample = fc.array(fc.tuple(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })), { minLength: BATCH, maxLength: BATCH });
    fc.assert(
      fc.property(sample, (picks) => {
        const sources: Record<string, string> = {};
        picks.forEach(([seed, mutations], i) => {
          const { file, text } = SEEDS[seed];
          sources[path.join(path.dirname(file), `mutant-${i}-${path.basename(file)}`)] = mutate(text, mutations);
        });
        const program = createInMemoryProgram(sources, INFERRED_OPTIONS, previous);
        previous = program;
        const files = Object.keys(sources).map((f) => program.getSourceFile(f)).filter((sf): sf is ts.SourceFile => sf !== undefined);
        const result = analyzeProgram(program, files, { config: DEFAULT_CONFIG, root: FIXTURES_ROOT });
        const internal = result.problems.filter((p) => p.kind === "internal");
        assert.deepEqual(internal, [], "a rule failed");
        for (const f of result.findings) {
          const text = sources[f.file] ?? sources[path.resolve(f.file)];
          assert.ok(text !== undefined, `finding in a file that was not analysed: ${f.file}`);
          assert.ok(rangeInside(f.range, text), `${f.rule} reported a range outside ${f.file}: ${JSON.stringify(f.range)}`);
          for (const fix of f.fixes) applyEdits(text, fix.edits.filter((e) => e.file === f.file));
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.ASYNC_LENS_PROPERTY_SEED ?? 20261122), endOnFailure: true },
    );
  });
});
