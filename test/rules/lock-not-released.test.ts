import * as assert from "node:assert/strict";
import * as path from "node:path";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { withDefaults } from "../../server/src/core/config";
import { applyEdits } from "../../server/src/core/fixes/apply";
import { createInMemoryProgram } from "../../server/src/core/project";
import { describeRuleFixtures, FIXTURES_ROOT, runRule, typeErrors } from "../support/fixtures";

describeRuleFixtures("lock-not-released");

/** Applies the runExclusive rewrite (offered besides the preferred try/finally) and type-checks the result. */
function rewriteWithRunExclusive(source: string): string {
  const file = path.join(FIXTURES_ROOT, "lock-not-released", "virtual-run-exclusive.ts");
  const program = createInMemoryProgram({ [file]: source });
  const findings = runRule("lock-not-released", program, [program.getSourceFile(file)!]);
  const fix = findings.flatMap((f) => f.fixes).find((f) => f.title.includes("runExclusive"));
  assert.ok(fix, "no runExclusive rewrite offered");
  const fixed = applyEdits(source, fix.edits).text;
  const after = createInMemoryProgram({ [file]: fixed });
  assert.deepEqual(typeErrors(after, file), [], `the rewrite does not type-check:\n${fixed}`);
  return fixed;
}

describe("lock-not-released runExclusive rewrite", function () {
  this.timeout(60_000);

  it("returns from inside the callback when the section returns early", () => {
    const before = [
      'import { Mutex } from "async-mutex";',
      "",
      "const mutex = new Mutex();",
      "const entries = new Map<string, string>();",
      "",
      "export async function get(key: string, load: (k: string) => Promise<string>): Promise<string> {",
      "  const release = await mutex.acquire();",
      "  const cached = entries.get(key);",
      "  if (cached !== undefined) {",
      "    release();",
      "    return cached;",
      "  }",
      "  const value = await load(key);",
      "  entries.set(key, value);",
      "  release();",
      "  return value;",
      "}",
      "",
    ].join("\n");
    const after = [
      'import { Mutex } from "async-mutex";',
      "",
      "const mutex = new Mutex();",
      "const entries = new Map<string, string>();",
      "",
      "export async function get(key: string, load: (k: string) => Promise<string>): Promise<string> {",
      "  return await mutex.runExclusive(async () => {",
      "    const cached = entries.get(key);",
      "    if (cached !== undefined) {",
      "      return cached;",
      "    }",
      "    const value = await load(key);",
      "    entries.set(key, value);",
      "    return value;",
      "  });",
      "}",
      "",
    ].join("\n");
    assert.equal(rewriteWithRunExclusive(before), after);
  });

  it("awaits the callback when the section returns nothing", () => {
    const before = [
      'import { Mutex } from "async-mutex";',
      "",
      "export class Counter {",
      "  private readonly mutex = new Mutex();",
      "  private value = 0;",
      "",
      "  async bump(save: (n: number) => Promise<void>): Promise<void> {",
      "    await this.mutex.acquire();",
      "    this.value += 1;",
      "    await save(this.value);",
      "    this.mutex.release();",
      "  }",
      "}",
      "",
    ].join("\n");
    const after = [
      'import { Mutex } from "async-mutex";',
      "",
      "export class Counter {",
      "  private readonly mutex = new Mutex();",
      "  private value = 0;",
      "",
      "  async bump(save: (n: number) => Promise<void>): Promise<void> {",
      "    await this.mutex.runExclusive(async () => {",
      "      this.value += 1;",
      "      await save(this.value);",
      "    });",
      "  }",
      "}",
      "",
    ].join("\n");
    assert.equal(rewriteWithRunExclusive(before), after);
  });
});

describe("lock-not-released with configured lock types", function () {
  this.timeout(60_000);

  const file = path.join(FIXTURES_ROOT, "lock-not-released", "virtual-configured.ts");
  const typings = path.join(FIXTURES_ROOT, "lock-not-released", "virtual-gatekeeper.d.ts");
  const declaration = ['declare module "gatekeeper" {', "  export class Gate {", "    acquire(): Promise<void>;", "    release(): void;", "  }", "}", ""].join("\n");
  const source = [
    'import { Gate } from "gatekeeper";',
    "",
    "const gate = new Gate();",
    "",
    "export async function pass(work: () => Promise<void>): Promise<void> {",
    "  await gate.acquire();",
    "  await work();",
    "  gate.release();",
    "}",
    "",
  ].join("\n");

  function findingsWith(locks: { module: string; export: string }[], typed: boolean) {
    const program = createInMemoryProgram(typed ? { [file]: source, [typings]: declaration } : { [file]: source });
    const result = analyzeProgram(program, [program.getSourceFile(file)!], { config: withDefaults({ locks }), root: path.dirname(file), only: ["lock-not-released"] });
    assert.deepEqual(result.problems, []);
    return result.findings;
  }

  const gate = [{ module: "gatekeeper", export: "Gate" }];
  const at = (findings: { range: { start: { line: number; character: number } } }[]) => findings.map((f) => [f.range.start.line, f.range.start.character]);

  it("does not take an object with an unremarkable name for a lock", () => {
    assert.deepEqual(findingsWith([], true), []);
    assert.deepEqual(findingsWith([], false), []);
  });

  it("treats a configured class as a lock, by its typings", () => {
    assert.deepEqual(at(findingsWith(gate, true)), [[5, 8]]);
  });

  it("treats a configured class as a lock, by the import it is constructed from", () => {
    assert.deepEqual(at(findingsWith(gate, false)), [[5, 8]]);
  });
});
