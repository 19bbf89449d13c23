import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The version in the package's own package.json. Looked up by walking up from
 * this file, because the compiled file sits one folder deeper (out/) than the source.
 */
export function toolVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "async-lens" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // No manifest here (or an unrelated one): keep walking up.
    }
    if (path.dirname(dir) === dir) return "0.0.0";
  }
}
