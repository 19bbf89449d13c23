// Loads the TypeScript compiler once per process, faster than a plain require.
// Import this module before any module that imports "typescript"; a module
// loaded earlier still works, only slower.
//
// 1. Compiling the 9 MB typescript.js is most of the time `require` takes
//    (0.2–0.3 s a run). Node 22 caches compiled code (`module.enableCompileCache`,
//    which tsc itself turns on); on older Node the compiled code is kept in a V8
//    code cache under node_modules/.cache/async-lens, written once at exit.
// 2. TypeScript's CommonJS build exposes every export through a getter and does
//    not mark itself as an ES module, so an `import * as ts` helper
//    (esModuleInterop) wraps it once more: every `ts.isX(…)` then costs two
//    getter calls, one of them megamorphic, and every importing module
//    allocates a closure per export. The project's own modules therefore write
//    `import ts from "typescript"` (ESLint enforces it), which never wraps;
//    marked as an ES module, the exports object is handed through unchanged to
//    a namespace import elsewhere too.
// On the mongodb benchmark tree: check CPU -9% (2) and -8% (1), peak RSS -20 MB.
import * as fs from "node:fs";
import * as nodeModule from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

type TypeScriptModule = typeof import("typescript");

function loadTypeScript(): TypeScriptModule {
  const builtInCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof builtInCache === "function") {
    builtInCache();
    return require("typescript") as TypeScriptModule;
  }
  try {
    return loadWithCodeCache(require.resolve("typescript"));
  } catch {
    return require("typescript") as TypeScriptModule;
  }
}

/** Runs typescript.js as Node would, but compiled with (or for) a V8 code cache. */
function loadWithCodeCache(filename: string): TypeScriptModule {
  const cached = require.cache[filename];
  if (cached?.loaded) return cached.exports as TypeScriptModule;
  const source = fs.readFileSync(filename, "utf8");
  const cacheFile = codeCacheFile(filename);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile !== undefined ? fs.readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename, cachedData });
  const mod = new nodeModule.Module(filename, module);
  mod.filename = filename;
  require.cache[filename] = mod;
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(mod.exports, mod.exports, nodeModule.createRequire(filename), mod, filename, path.dirname(filename));
  } catch (error) {
    delete require.cache[filename];
    throw error;
  }
  mod.loaded = true;
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit the cache also holds the functions compiled while the process ran.
    process.once("exit", () => writeAtomically(cacheFile, () => script.createCachedData()));
  }
  return mod.exports as TypeScriptModule;
}

/** node_modules/.cache/async-lens/…, named after everything the compiled code depends on. */
function codeCacheFile(filename: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = filename.lastIndexOf(marker);
  if (at < 0) return undefined;
  const stat = fs.statSync(filename);
  // V8 checks only the source's length, so the name carries its size and mtime.
  const key = [process.version, process.arch, Math.trunc(stat.mtimeMs), stat.size].join("-");
  return path.join(filename.slice(0, at + marker.length), ".cache", "async-lens", `typescript-${key}.v8cache`);
}

function writeAtomically(file: string, data: () => Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, data());
    fs.renameSync(partial, file);
  } catch {
    // A read-only install simply runs without the cache.
  }
}

const ts = loadTypeScript();
if (!Object.prototype.hasOwnProperty.call(ts, "__esModule")) {
  Object.defineProperty(ts, "__esModule", { value: true });
  // `import ts from "typescript"` then reads `.default`: keep it working.
  Object.defineProperty(ts, "default", { value: ts });
}
