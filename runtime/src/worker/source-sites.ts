// Turns the main thread's raw sites ("file\tline\tcolumn\tfn") and inspector
// frames into protocol Sites, source-mapped to the original (TypeScript) line
// where the generated file names a source map. Runs in the collector worker.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceMapConsumer } from "source-map-js";
import type { Site } from "../protocol";

const MAX_MAPS = 200;
const maps = new Map<string, SourceMapConsumer | null>();

export function toPath(file: string): string {
  if (file.startsWith("file://")) {
    try {
      return fileURLToPath(file);
    } catch {
      return file;
    }
  }
  return file;
}

function loadMap(file: string): SourceMapConsumer | null {
  if (maps.has(file)) return maps.get(file)!;
  let consumer: SourceMapConsumer | null = null;
  try {
    const text = fs.readFileSync(file, "utf8");
    const match = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(text);
    if (match) {
      const url = match[1];
      const json = url.startsWith("data:")
        ? Buffer.from(url.slice(url.indexOf(",") + 1), url.includes(";base64,") ? "base64" : "utf8").toString("utf8")
        : fs.readFileSync(path.resolve(path.dirname(file), decodeURIComponent(url)), "utf8");
      const raw = JSON.parse(json);
      const root = path.dirname(file);
      // Loaded on the first source map, not at start: the collector boots faster, and watches sooner.
      const { SourceMapConsumer: Consumer } = require("source-map-js") as typeof import("source-map-js");
      consumer = new Consumer(raw);
      (consumer as unknown as { resolveFrom: string }).resolveFrom = raw.sourceRoot ? path.resolve(root, raw.sourceRoot) : root;
    }
  } catch {
    consumer = null;
  }
  if (maps.size >= MAX_MAPS) maps.delete(maps.keys().next().value!);
  maps.set(file, consumer);
  return consumer;
}

export function siteAt(file: string, line: number, column: number, fn?: string): Site {
  const filePath = toPath(file);
  const site: Site = { file: filePath, line, column };
  if (fn) site.fn = fn;
  if (!path.isAbsolute(filePath)) return site;
  const map = loadMap(filePath);
  if (map === null) return site;
  const original = map.originalPositionFor({ line, column: Math.max(0, column - 1) });
  if (original.source === null || original.line === null) return site;
  const from = (map as unknown as { resolveFrom: string }).resolveFrom;
  return {
    file: path.resolve(from, original.source),
    line: original.line,
    column: (original.column ?? 0) + 1,
    ...(fn ? { fn } : {}),
    generated: { file: filePath, line, column },
  };
}

export function parseRawSite(raw: string): Site | undefined {
  const [file, line, column, fn] = raw.split("\t");
  if (!file) return undefined;
  return siteAt(file, Number(line), Number(column), fn);
}
