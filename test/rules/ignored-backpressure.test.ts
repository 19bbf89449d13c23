import * as assert from "node:assert/strict";
import * as path from "node:path";
import { createInMemoryProgram } from "../../server/src/core/project";
import { runRule } from "../support/fixtures";

describe("ignored-backpressure fixes", () => {
  const file = path.resolve(__dirname, "backpressure-fixes", "relay.ts");
  const source = `import type { Readable, Writable } from "node:stream";

export function relay(source: Readable, target: Writable): void {
  source.on("data", (chunk: Buffer) => {
    target.write(chunk);
  });
}

export function copyAll(target: Writable, chunks: Buffer[]): void {
  for (const chunk of chunks) target.write(chunk);
}
`;

  it("offers no automatic fix where no await is possible, and advises pipeline() instead", function () {
    this.timeout(60_000);
    const program = createInMemoryProgram({ [file]: source });
    const findings = runRule("ignored-backpressure", program, [program.getSourceFile(file)!]);
    assert.equal(findings.length, 2);
    for (const f of findings) {
      assert.deepEqual(f.fixes, []);
      assert.match(f.message, /pipeline\(\)/);
    }
  });
});
