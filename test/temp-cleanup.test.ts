// The test suite cleans up after itself: test files run under a private
// TMPDIR leave it empty, so `npm test` does not fill the temp folder run after run.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const MOCHA = path.join(REPO_ROOT, "node_modules/mocha/bin/mocha.js");

describe("temporary folders of the test suite", function () {
  this.timeout(180_000);

  it("are all removed when the test files that make them finish", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-tmpdir-"));
    try {
      // Files whose tests make temp folders through each shared helper: the runtime's tempFile and the core's tempDir.
      const specs = ["out/test/runtime/cli.test.js", "out/test/core/config.test.js"];
      const child = spawn(process.execPath, [MOCHA, "--no-config", "--timeout", "60000", ...specs], { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      assert.equal(code, 0, output);
      assert.deepEqual(fs.readdirSync(tmp), []);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
