// Rewrites package.json's generated contributions (see manifest.ts), keeping
// everything else, key order included.
import * as fs from "node:fs";
import { PACKAGE_JSON, commandsContribution, configurationContribution, readManifest } from "./manifest";

const manifest = readManifest();
manifest.contributes.commands = commandsContribution();
manifest.contributes.configuration = configurationContribution();
fs.writeFileSync(PACKAGE_JSON, JSON.stringify(manifest, null, 2) + "\n");
