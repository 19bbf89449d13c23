// The ignored-backpressure fix, applied by `check --fix` and then run: a real
// HTTP server streams a large response through the fixed handler, the client
// reads a little and goes away. The handler must finish instead of waiting
// forever for a 'drain' that a closed connection never emits.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import ts from "typescript";
import { makeProject, projectTypeErrors, removeProject, runCli } from "./run-cli";

const TSCONFIG = JSON.stringify({ compilerOptions: { target: "es2022", module: "commonjs", strict: true, noUnusedLocals: true, skipLibCheck: true, types: ["node"] }, include: ["src"] });

const HANDLER = `import * as http from "node:http";

/** Streams \`chunks\` blocks of 64 KiB to every client; \`onDone\` hears how many the handler got through. */
export function serve(chunks: number, onDone: (written: number) => void): http.Server {
  return http.createServer(async (_req, res) => {
    let written = 0;
    for (let i = 0; i < chunks; i++) {
      res.write(Buffer.alloc(64 * 1024, 120));
      written++;
    }
    res.end();
    onDone(written);
  });
}
`;

type Serve = (chunks: number, onDone: (written: number) => void) => http.Server;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

describe("the ignored-backpressure fix in a running HTTP server", function () {
  this.timeout(180_000);
  let dir: string;
  let fixed: string;
  let serve: Serve;

  before(() => {
    dir = makeProject({ "tsconfig.json": TSCONFIG, "src/server.ts": HANDLER }, { nodeModules: true });
    const r = runCli(["check", ".", "--fix", "--rule", "unbounded-fanout=off", "--format", "json"], { cwd: dir });
    assert.match(r.stderr, /applied \d+ edits? to 1 file/, r.stderr);
    fixed = fs.readFileSync(path.join(dir, "src/server.ts"), "utf8");
    const js = ts.transpileModule(fixed, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    fs.writeFileSync(path.join(dir, "server.js"), js);
    serve = (require(path.join(dir, "server.js")) as { serve: Serve }).serve;
  });
  after(() => removeProject(dir));

  it("waits for drain in the handler, in code that type-checks", () => {
    assert.match(fixed, /if \(!res\.write\(Buffer\.alloc\(64 \* 1024, 120\)\)\) await waitForDrain\(res\);/);
    assert.deepEqual(projectTypeErrors(dir), []);
  });

  /** The fixed server on a free loopback port, and the handler's count of chunks once it finishes. */
  async function listen(chunks: number): Promise<{ server: http.Server; port: number; done: Promise<number> }> {
    let finished: (written: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (finished = resolve));
    const server = serve(chunks, finished);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, port: (server.address() as AddressInfo).port, done };
  }

  it("finishes the handler when the client disconnects mid-response", async () => {
    const chunks = 4096; // 256 MiB: far more than the socket buffers take before the client leaves
    const { server, port, done } = await listen(chunks);
    try {
      await new Promise<void>((resolve, reject) => {
        const request = http.get({ host: "127.0.0.1", port, path: "/" }, (response) => {
          response.once("data", () => {
            // Gone after the first bytes: the server is now waiting for a drain that never comes.
            request.destroy();
            resolve();
          });
        });
        request.on("error", (error) => ((error as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(error)));
      });
      const written = await withTimeout(done, 30_000, "the handler did not finish after the client disconnected");
      assert.equal(written, chunks);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("still streams the whole response to a client that stays", async () => {
    const chunks = 64;
    const { server, port, done } = await listen(chunks);
    try {
      const received = await new Promise<number>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: "/" }, (response) => {
          let bytes = 0;
          response.on("data", (chunk: Buffer) => (bytes += chunk.length));
          response.on("end", () => resolve(bytes));
        }).on("error", reject);
      });
      assert.equal(received, chunks * 64 * 1024);
      assert.equal(await withTimeout(done, 30_000, "the handler did not finish"), chunks);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
