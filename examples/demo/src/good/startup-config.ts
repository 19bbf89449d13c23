// Silent: reading the configuration synchronously once, at start-up, before the
// server accepts requests, blocks nothing that is waiting.
import * as fs from "node:fs";
import * as path from "node:path";

export interface Config {
  port: number;
  priceEndpoint: string;
}

export const config: Config = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "config.json"), "utf8")) as Config;
