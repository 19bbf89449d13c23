import * as assert from "node:assert/strict";
import { DEFAULT_SETTINGS, SETTINGS, SETTINGS_SECTION, settingsFrom } from "../../server/src/lsp/settings";

describe("editor settings", () => {
  it("declares every key of AsyncLensSettings once, with its default", () => {
    const keys = SETTINGS.map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length);
    const defaults = settingsFrom({});
    for (const s of SETTINGS) {
      const path = s.key.slice(SETTINGS_SECTION.length + 1).split(".");
      const value = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], defaults);
      assert.deepEqual(s.default, value, s.key);
    }
    assert.deepEqual(defaults, DEFAULT_SETTINGS);
  });

  it("keeps the valid values a client sends and drops the malformed ones key by key", () => {
    const settings = settingsFrom({
      enable: false,
      rules: { "blocking-call": "off", "lock-order": "loud" },
      chainDepth: 3.5,
      ignore: ["gen/**", 7],
      debounce: 20,
      trace: { server: "verbose" },
    });
    assert.deepEqual(settings, { enable: false, rules: { "blocking-call": "off" }, chainDepth: null, ignore: ["gen/**"], debounce: 20, trace: { server: "verbose" } });
    assert.deepEqual(settingsFrom("nonsense"), DEFAULT_SETTINGS);
  });
});
