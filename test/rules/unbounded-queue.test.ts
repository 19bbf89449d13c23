import * as assert from "node:assert/strict";
import * as path from "node:path";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { DEFAULT_CONFIG, type AsyncLensConfig } from "../../server/src/core/config";
import { createInMemoryProgram } from "../../server/src/core/project";

describe("unbounded-queue with configured queue types", () => {
  const root = path.resolve(__dirname, "configured-queue");
  const sources = {
    [path.join(root, "my-queue.d.ts")]: `declare module "my-queue" {
  export class TaskQueue {
    add(task: () => Promise<void>): void;
    readonly size: number;
  }
}
`,
    [path.join(root, "ingest.ts")]: `import { TaskQueue } from "my-queue";
import type { Readable } from "node:stream";

declare function save(row: unknown): Promise<void>;
const queue = new TaskQueue();

export function ingest(rows: Readable): void {
  rows.on("data", (row) => queue.add(() => save(row)));
}
`,
  };
  const run = (config: AsyncLensConfig) => {
    const program = createInMemoryProgram(sources, { strict: true, noEmit: true, types: ["node"] });
    const files = program.getSourceFiles().filter((f) => f.fileName.endsWith("ingest.ts"));
    return analyzeProgram(program, files, { config, root, only: ["unbounded-queue"] }).findings;
  };

  it("reports an extra queue fed from a 'data' listener once the configuration names it", function () {
    this.timeout(60_000);
    assert.deepEqual(run(DEFAULT_CONFIG), []);
    const findings = run({ ...DEFAULT_CONFIG, queues: [{ module: "my-queue", export: "TaskQueue" }] });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /queue\.add\(\)/);
    assert.deepEqual(findings[0].range.start, { line: 7, character: 27 });
  });
});
