import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { OUTPUT_LANGUAGE_ID } from "../../client/src/contributions";
import { PACKAGE_JSON, commandsContribution, configurationContribution, readManifest } from "./manifest";

const ROOT = path.dirname(PACKAGE_JSON);
const REGENERATE = "run `npm run build && node out/test/client/write-manifest.js` to regenerate it";

describe("extension manifest (package.json)", () => {
  const manifest = readManifest();
  const contributes = manifest.contributes as Record<string, Record<string, unknown>[]> & { configuration: unknown };

  it("contributes exactly the settings server/src/lsp/settings.ts declares", () => {
    assert.deepEqual(contributes.configuration, configurationContribution(), `contributes.configuration drifted; ${REGENERATE}`);
  });

  it("contributes exactly the commands client/src/contributions.ts declares", () => {
    assert.deepEqual(contributes.commands, commandsContribution(), `contributes.commands drifted; ${REGENERATE}`);
  });

  it("points at files that exist: the bundle entry, the grammars, the config schema", () => {
    assert.equal(manifest.main, "./dist/client.js");
    for (const grammar of contributes.grammars) assert.ok(fs.existsSync(path.join(ROOT, String(grammar.path))), String(grammar.path));
    const [validation] = contributes.jsonValidation;
    assert.equal(validation.fileMatch, "async-lens.config.json");
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, String(validation.url)), "utf8"));
    assert.equal(typeof schema.properties, "object", "the config schema describes the file's keys");
  });

  it("gives the output channel's language its grammar", () => {
    assert.deepEqual(contributes.languages.map((l) => l.id), [OUTPUT_LANGUAGE_ID]);
    assert.ok(contributes.grammars.some((g) => g.language === OUTPUT_LANGUAGE_ID && g.scopeName === "source.async-lens-output"));
  });

  it("declares limited support in untrusted workspaces", () => {
    const capabilities = manifest.capabilities as { untrustedWorkspaces: { supported: unknown; description: unknown } };
    assert.equal(capabilities.untrustedWorkspaces.supported, "limited");
    assert.equal(typeof capabilities.untrustedWorkspaces.description, "string");
  });
});
