import * as assert from "node:assert/strict";
import * as path from "node:path";
import { applyEdits } from "../../server/src/core/edits";
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
