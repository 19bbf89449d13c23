import * as assert from "node:assert/strict";
import * as path from "node:path";
import { EVERY_ROOT, ROOT, runPlain, runTraced } from "./helpers";

// Node prints the source line and a caret for top-level errors; paths and
// the Node version line are the same in both runs, so outputs compare whole.
describe("runtime: the host program is unchanged", function () {
  this.timeout(30_000);

  for (const [args, what] of [
    [["0"], "normal exit"],
    [["3"], "exit code 3"],
    [["0", "reject"], "unhandled rejection"],
    [["0", "throw"], "uncaught exception"],
  ] as const) {
    it(`keeps stdout, stderr and the exit code: ${what}`, async () => {
      const plain = await runPlain("output.js", [...args]);
      const traced = await runTraced("output.js", EVERY_ROOT, [...args]);
      assert.equal(traced.code, plain.code);
      assert.equal(traced.stdout, plain.stdout);
      assert.equal(traced.stderr, plain.stderr);
      assert.equal(traced.trace.truncated, false);
      assert.ok(traced.trace.processes[0].events.some((e) => e.type === "end"), "trace has no end record");
    });
  }

  it("leaves its own frames out of the program's stack traces", async () => {
    const plain = await runPlain("stack.js");
    const traced = await runTraced("stack.js", EVERY_ROOT);
    assert.equal(traced.code, 0, traced.stderr);
    // With --import, Node runs even a CommonJS entry through its ESM loader: its own frames differ; the program's may not.
    const programFrames = (stdout: string) => stdout.split("\n").filter((line) => !/\(node:|at node:/.test(line));
    assert.deepEqual(programFrames(traced.stdout), programFrames(plain.stdout));
    assert.ok(!traced.stdout.includes(path.join(ROOT, "out", "runtime")), traced.stdout);
  });
});
