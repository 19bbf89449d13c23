import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT, cleanEnv, get, run } from "./helpers";

// The README's "Using the runtime in your app" steps, exactly, in a fresh
// project: pack this repository, install the package there from the
// registry's view of it, run the project's own server under the runtime.
describe("runtime: installed into another project", function () {
  this.timeout(300_000);

  it("records the project's server with node --import async-lens/register, and trace summary reads it", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-install-"));
    try {
      const npm = (args: string[], cwd: string) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, env: cleanEnv(), encoding: "utf8" });
      const tarball = path.join(work, JSON.parse(npm(["pack", "--json", "--pack-destination", work], ROOT))[0].filename as string);
      const app = path.join(work, "app");
      fs.mkdirSync(app);
      npm(["init", "-y"], app);
      npm(["install", tarball], app);
      fs.writeFileSync(
        path.join(app, "server.js"),
        `const http = require("node:http");
const server = http.createServer(async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  res.end("hello " + req.url);
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
process.stdin.on("data", () => {});
process.stdin.on("end", () => server.close());
`,
      );
      const traceFile = path.join(app, "trace.alens");
      const env = cleanEnv({ ASYNC_LENS_TRACE: traceFile, ASYNC_LENS_SAMPLE: "1" });
      const served = await run(
        ["--import", "async-lens/register", "server.js"],
        env,
        async (child) => {
          const [, port] = await child.waitForStdout(/listening (\d+)/);
          assert.equal(await get(Number(port), "/from-the-app"), "hello /from-the-app");
        },
        app,
      );
      assert.equal(served.code, 0, served.stderr);
      const summary = execFileSync("npx", ["async-lens", "trace", "summary", "trace.alens"], { cwd: app, env, encoding: "utf8" });
      assert.match(summary, /^process \d+ started .*server\.js$/m);
      assert.match(summary, /roots: \d+ seen, [1-9]\d* recorded/);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
