import * as assert from "node:assert/strict";
import { EVERY_ROOT, runPlain, runTraced } from "./helpers";

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
});
