import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEFAULT_CONFIG, loadConfig, validateConfig, withDefaults } from "../../server/src/core/config";
import { tempDir } from "./temp-dir";

describe("configuration", () => {
  const cleanups: (() => void)[] = [];
  const folder = (files: Record<string, string>) => {
    const t = tempDir(files);
    cleanups.push(t.cleanup);
    return t.dir;
  };
  after(() => cleanups.forEach((c) => c()));

  it("uses the defaults when there is no configuration", () => {
    assert.deepEqual(loadConfig(folder({ "package.json": '{ "name": "x" }' })), { config: DEFAULT_CONFIG, file: undefined, problems: [] });
  });

  it("reads async-lens.config.json, comments and trailing commas allowed, over the defaults", () => {
    const dir = folder({
      "async-lens.config.json": `{
        // severities
        "rules": { "blocking-call": "error", "unbounded-fanout": "off", },
        "blockingApis": [{ "module": "my-lib", "export": "heavySync", "asyncAlternative": "heavy" }],
        "locks": [{ "module": "my-locks", "export": "KeyedLock" }],
        "ignore": ["src/generated/**"],
        "chainDepth": 3,
      }`,
    });
    const loaded = loadConfig(dir);
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.file, path.join(dir, "async-lens.config.json"));
    assert.deepEqual(loaded.config, {
      rules: { "blocking-call": "error", "unbounded-fanout": "off" },
      blockingApis: [{ module: "my-lib", export: "heavySync", asyncAlternative: "heavy" }],
      locks: [{ module: "my-locks", export: "KeyedLock" }],
      queues: [],
      ignore: ["src/generated/**"],
      chainDepth: 3,
    });
  });

  it("reads the asyncLens key of package.json", () => {
    const dir = folder({ "package.json": JSON.stringify({ name: "app", asyncLens: { rules: { "lock-order": "error" } } }) });
    const loaded = loadConfig(dir);
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.file, path.join(dir, "package.json"));
    assert.deepEqual(loaded.config.rules, { "lock-order": "error" });
    assert.equal(loaded.config.chainDepth, DEFAULT_CONFIG.chainDepth);
  });

  it("prefers async-lens.config.json over package.json", () => {
    const dir = folder({
      "async-lens.config.json": '{ "rules": { "lock-order": "warning" } }',
      "package.json": JSON.stringify({ asyncLens: { rules: { "lock-order": "error" } } }),
    });
    assert.deepEqual(loadConfig(dir).config.rules, { "lock-order": "warning" });
  });

  it("reports broken JSON once, on the file, and falls back to the defaults", () => {
    const dir = folder({ "async-lens.config.json": '{\n  "rules": { "blocking-call": "error" ' });
    const loaded = loadConfig(dir);
    assert.equal(loaded.config, DEFAULT_CONFIG);
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0].kind, "config");
    assert.equal(loaded.problems[0].file, path.join(dir, "async-lens.config.json"));
    assert.equal(loaded.problems[0].message, "not valid JSON (CloseBraceExpected); using the default configuration.");
    assert.deepEqual(loaded.problems[0].range?.start, { line: 1, character: 38 }, "the position is a line and column, not a byte offset");
  });

  it("reports a broken package.json as a config problem", () => {
    const loaded = loadConfig(folder({ "package.json": "{ name: " }));
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0].message, /^not valid JSON/);
    assert.match(loaded.problems[0].file ?? "", /package\.json$/);
  });

  it("reports schema violations, naming each, and falls back to the defaults", () => {
    const dir = folder({ "async-lens.config.json": JSON.stringify({ rules: { "blocking-call": "loud" }, chainDepth: 99, colour: "red", locks: [{ module: "x" }] }) });
    const loaded = loadConfig(dir);
    assert.equal(loaded.config, DEFAULT_CONFIG);
    assert.equal(loaded.problems.length, 1);
    const message = loaded.problems[0].message;
    assert.match(message, /^the configuration is invalid: /);
    assert.match(message, /\/rules\/blocking-call must be equal to one of the allowed values: off, hint, information, warning, error/);
    assert.match(message, /\/chainDepth must be <= 50/);
    assert.match(message, /must NOT have additional properties 'colour'/);
    assert.match(message, /\/locks\/0 must have required property 'export'/);
  });

  it("reports an invalid asyncLens key in package.json by its key", () => {
    const loaded = loadConfig(folder({ "package.json": JSON.stringify({ asyncLens: { chainDepth: "deep" } }) }));
    assert.match(loaded.problems[0].message, /^the "asyncLens" key is invalid: \/chainDepth must be integer/);
  });

  it("applies the nearest configuration at or above the folder checked", () => {
    const dir = folder({ "async-lens.config.json": '{ "rules": { "lock-order": "error" } }', "packages/app/src/a.ts": "" });
    const loaded = loadConfig(path.join(dir, "packages/app/src"));
    assert.equal(loaded.file, path.join(dir, "async-lens.config.json"));
    assert.deepEqual(loaded.config.rules, { "lock-order": "error" });
  });

  it("validates parsed values and merges partial ones over the defaults", () => {
    assert.deepEqual(validateConfig({ rules: { x: "warning" } }), []);
    assert.equal(validateConfig([]).length, 1);
    const merged = withDefaults({ ignore: ["a/**"] });
    assert.deepEqual(merged, { ...DEFAULT_CONFIG, ignore: ["a/**"], rules: {} });
    assert.notEqual(merged.rules, DEFAULT_CONFIG.rules, "a merged config never shares the defaults' rules object");
  });
});
