// Which JavaScript file "Run Current File with Async Lens" runs for a
// TypeScript file: the project's own build output, found through the nearest
// tsconfig.json's outDir and rootDir (following `extends` to other files).
// It never compiles anything: with no build output it says where it looked.
// The runtime maps what it records back to the .ts lines through the
// output's source maps. No vscode import, so a Node test runs it on a real
// tsc build.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "jsonc-parser";

export type BuildOutput =
  /** `stale`: the output is older than the source, so it may not be what the editor shows. */
  | { ok: true; file: string; stale: boolean }
  | { ok: false; reason: string };

const EMITTED: Record<string, string> = { ".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs" };
/** A chain of `extends` longer than this is taken for a cycle. */
const MAX_EXTENDS = 16;

export function isTypeScript(file: string): boolean {
  return path.extname(file) in EMITTED && !file.endsWith(".d.ts");
}

export async function buildOutputFor(source: string): Promise<BuildOutput> {
  const config = await nearestConfig(path.dirname(source));
  const emittedName = source.slice(0, -path.extname(source).length) + EMITTED[path.extname(source)];
  const candidates: string[] = [];
  let where = "there is no tsconfig.json above it, so its output would sit beside it";
  if (config) {
    const { outDir, rootDir } = await compilerDirs(config);
    where = `by ${config}`;
    if (!outDir) candidates.push(emittedName);
    else if (rootDir) {
      const inRoot = path.relative(rootDir, emittedName);
      if (inRoot.startsWith("..")) return { ok: false, reason: `${path.basename(source)} lies outside the rootDir ${rootDir} set by ${config}, so the build does not compile it.` };
      candidates.push(path.join(outDir, inRoot));
    }
    else {
      // Without rootDir, tsc puts output under the common folder of the
      // project's sources, which may lie below the config's folder (src/).
      const parts = path.relative(path.dirname(config), emittedName).split(path.sep);
      for (let i = 0; i < parts.length; i++) candidates.push(path.join(outDir, ...parts.slice(i)));
    }
  } else candidates.push(emittedName);
  for (const file of candidates) {
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat?.isFile()) continue;
    const sourceStat = await fs.promises.stat(source);
    return { ok: true, file, stale: stat.mtimeMs < sourceStat.mtimeMs };
  }
  return {
    ok: false,
    reason: `${path.basename(source)} has no build output to run: looked for ${candidates.join(", ")} (as set ${where}). Build the project (for example \`npx tsc -b\`) and run the command again.`,
  };
}

async function nearestConfig(dir: string): Promise<string | undefined> {
  for (let at = dir; ; at = path.dirname(at)) {
    const file = path.join(at, "tsconfig.json");
    if (await fs.promises.stat(file).then((s) => s.isFile(), () => false)) return file;
    if (path.dirname(at) === at) return undefined;
  }
}

/** outDir and rootDir as absolute paths, each relative to the config that sets it, the nearest winning. */
async function compilerDirs(config: string): Promise<{ outDir?: string; rootDir?: string }> {
  const dirs: { outDir?: string; rootDir?: string } = {};
  let file: string | undefined = config;
  for (let depth = 0; file && depth < MAX_EXTENDS; depth++) {
    const json = parse(await fs.promises.readFile(file, "utf8").catch(() => "{}")) as { extends?: unknown; compilerOptions?: Record<string, unknown> } | undefined;
    for (const key of ["outDir", "rootDir"] as const) {
      const value = json?.compilerOptions?.[key];
      if (dirs[key] === undefined && typeof value === "string") dirs[key] = path.resolve(path.dirname(file), value);
    }
    // Only file paths: a package's shared config (`@tsconfig/node20`) sets neither directory.
    const base = Array.isArray(json?.extends) ? json.extends.at(-1) : json?.extends;
    file = typeof base === "string" && (base.startsWith(".") || path.isAbsolute(base)) ? path.resolve(path.dirname(file), base.endsWith(".json") ? base : `${base}.json`) : undefined;
  }
  return dirs;
}
