import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { configFromEnv } from "../../runtime/src/config";
import { events, runPlain, runTraced } from "./helpers";

describe("runtime: configuration", function () {
  this.timeout(30_000);

  it("takes a bare port for ASYNC_LENS_LISTEN and ASYNC_LENS_CONNECT, 0 meaning any free port", () => {
    const { config, errors } = configFromEnv({ ASYNC_LENS_LISTEN: "0" }, "/tmp/token.json");
    assert.deepEqual(errors, []);
    assert.deepEqual(config.listen, { host: "127.0.0.1", port: 0, tokenFile: "/tmp/token.json" });
    assert.deepEqual(configFromEnv({ ASYNC_LENS_CONNECT: "9999", ASYNC_LENS_TOKEN: "t" }, "").config.connect, { host: "127.0.0.1", port: 9999, token: "t" });
    assert.deepEqual(configFromEnv({ ASYNC_LENS_LISTEN: "localhost:7000" }, "f").config.listen, { host: "localhost", port: 7000, tokenFile: "f" });
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ["a port out of range", { ASYNC_LENS_LISTEN: "99999" }, /^async-lens: ASYNC_LENS_LISTEN must be a port or host:port \(port 0 to 65535\), got "99999"; ignored$/],
    ["a zero threshold", { ASYNC_LENS_BLOCK_MS: "0" }, /^async-lens: ASYNC_LENS_BLOCK_MS must be a positive number, got "0"; using 50$/],
    ["a sample rate that is not a number", { ASYNC_LENS_SAMPLE: "abc" }, /^async-lens: ASYNC_LENS_SAMPLE must be a positive number, got "abc"; using 256$/],
    ["an editor address without its token", { ASYNC_LENS_CONNECT: "127.0.0.1:9" }, /^async-lens: ASYNC_LENS_CONNECT needs ASYNC_LENS_TOKEN, the editor's token; not connecting$/],
  ];
  for (const [what, settings, message] of cases) {
    for (const log of [{}, { ASYNC_LENS_LOG: "stderr" }] as Record<string, string>[]) {
      it(`says ${what} on stderr once${"ASYNC_LENS_LOG" in log ? " (log on stderr too)" : ""}, and the program and its trace carry on`, async () => {
        const [plain, traced] = await Promise.all([runPlain("output.js", ["3"]), runTraced("output.js", { ...settings, ...log }, ["3"])]);
        assert.equal(traced.code, plain.code);
        assert.equal(traced.stdout, plain.stdout);
        const said = traced.stderr.split("\n").filter((l) => l.includes(Object.keys(settings)[0]));
        assert.equal(said.length, 1, traced.stderr);
        assert.match(said[0], message);
        assert.equal(traced.stderr.replace(`${said[0]}\n`, "").replace(/^\[async-lens .*\n/gm, ""), plain.stderr);
        assert.ok(fs.existsSync(traced.traceFile) && events(traced.trace, "process").length === 1, "still recorded");
      });
    }
  }
});
