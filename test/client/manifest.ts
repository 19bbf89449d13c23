// The parts of package.json's `contributes` that are generated from their one
// declaration: the settings (server/src/lsp/settings.ts) and the commands
// (client/src/contributions.ts). manifest.test.ts fails when package.json
// drifts from them; `node out/test/client/write-manifest.js` rewrites them.
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMAND_CATEGORY, COMMANDS } from "../../client/src/contributions";
import { SETTINGS } from "../../server/src/lsp/settings";

export const PACKAGE_JSON = path.resolve(__dirname, "../../../package.json");

export function readManifest(): { contributes: Record<string, unknown> } & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(PACKAGE_JSON, "utf8"));
}

export function configurationContribution(): { title: string; properties: Record<string, unknown> } {
  return {
    title: "Async Lens",
    properties: Object.fromEntries(SETTINGS.map(({ key, ...schema }) => [key, schema])),
  };
}

export function commandsContribution(): Record<string, string>[] {
  return COMMANDS.map((command) => ({
    command: command.id,
    title: command.title,
    category: COMMAND_CATEGORY,
    ...(command.requiresTrust ? { enablement: "isWorkspaceTrusted" } : {}),
  }));
}
