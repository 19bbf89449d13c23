import * as assert from "node:assert/strict";
import * as path from "node:path";
import { CLI, PROGRAMS, autocannon, cleanEnv, events, lineOf, run, serveTraced } from "./helpers";
import { routeOf } from "../../runtime/src/block-places";
import { placeBlocks } from "../../runtime/src/trace-summary";

describe("runtime: blocks under load", function () {
  this.timeout(60_000);

  it("counts every block of an express route under autocannon, places them at the route, and the summary shows the chain", async () => {
    const program = "blocking-express.mjs";
    const result = await serveTraced(
      program,
      async (port) => {
        // Both routes at once, as a loaded server sees them: the fast route keeps the loop busy between blocks.
        await Promise.all([autocannon({ url: `http://127.0.0.1:${port}/`, connections: 8, duration: 3 }), autocannon({ url: `http://127.0.0.1:${port}/block`, connections: 2, duration: 3 })]);
      },
      { ASYNC_LENS_BLOCK_MS: "20", BLOCK_FOR_MS: "45" },
    );
    assert.equal(result.code, 0, result.stderr);
    const counted = Number(/blocking requests (\d+)/.exec(result.stdout)?.[1]);
    assert.ok(counted >= 10, `only ${counted} blocking requests: ${result.stdout}`);

    const file = path.join(PROGRAMS, program);
    const blocks = placeBlocks(events(result.trace, "block")).filter((b) => routeOf(b) === "GET /block");
    assert.equal(blocks.length, counted, "every blocking request is one block");
    const [readLine, handlerLine] = [lineOf(program, "BLOCK: read"), lineOf(program, "BLOCK: handler")];
    const inRoute = (line: number) => line === readLine || (line >= lineOf(program, "ROUTE: block") && line <= lineOf(program, "ROUTE: end"));
    const placed = blocks.filter((b) => b.site?.file === file && inRoute(b.site.line));
    assert.ok(placed.length >= 0.9 * blocks.length, `${placed.length} of ${blocks.length} placed at the route: ${JSON.stringify(blocks.filter((b) => !placed.includes(b)).slice(0, 3))}`);

    const summary = await run([CLI, "trace", "summary", result.traceFile], cleanEnv());
    assert.equal(summary.code, 0, summary.stderr);
    const relative = path.relative(process.cwd(), file);
    assert.ok(summary.stdout.includes(`${relative}:${readLine} readFor ← ${relative}:${handlerLine}`), summary.stdout);
    assert.match(summary.stdout, /worst blocks \(\d+; placed by stack \d+, by task \d+, not placed \d+\)/);
    assert.match(summary.stdout, /event loop \(\d+ windows\): utilisation mean \d+%, max \d+%; delay p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/);
  });
});
