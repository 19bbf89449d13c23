// Installs the library adapters for both module systems, once per thread.
import Module = require("node:module");
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import { ADAPT_KEY, ADAPTED_PACKAGES, adapt } from "./adapters/index";

let installed = false;

function isInstalled(name: string): boolean {
  const from = [process.cwd(), ...(process.argv[1] ? [path.dirname(path.resolve(process.argv[1]))] : [])];
  try {
    require.resolve(`${name}/package.json`, { paths: from });
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
  }
}

/** A bare request for an adapted package, or an absolute path into one (how ES modules import CommonJS). */
function adaptedPackage(request: string): string | undefined {
  if (ADAPTED_PACKAGES.includes(request)) return request;
  if (!path.isAbsolute(request)) return undefined;
  const at = request.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at < 0) return undefined;
  const name = request.slice(at + 14).split(path.sep)[0];
  return ADAPTED_PACKAGES.includes(name) ? name : undefined;
}

type LoadingModule = { exports: unknown; load: (...args: unknown[]) => unknown };

/** Adapts the module that Node is about to put in the cache under `filename`, once it has loaded. */
function adaptOnLoad(cache: Record<string, unknown>, filename: string, name: string): void {
  Object.defineProperty(cache, filename, {
    configurable: true,
    enumerable: false,
    get: () => undefined,
    set(module: LoadingModule) {
      Object.defineProperty(cache, filename, { value: module, writable: true, configurable: true, enumerable: true });
      const load = module.load;
      module.load = function (...args: unknown[]) {
        const result = load.apply(this, args);
        // Back to the prototype's method: nothing of the runtime stays on the module.
        delete (module as Partial<LoadingModule>).load;
        adapt(name, module.exports);
        return result;
      };
    },
  });
}

export function installModuleHooks(): void {
  if (installed) return;
  installed = true;
  (globalThis as Record<symbol, unknown>)[ADAPT_KEY] = adapt;

  // Resolution, not loading, is hooked: a wrapper around Module._load would
  // sit in the stack of every module's top-level code (the program's
  // `new Error().stack` included); resolution has returned before a module
  // runs. An adapted package's module is then caught as it enters the cache,
  // and adapted once it has loaded.
  const internal = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> };
  const resolve = internal._resolveFilename;
  internal._resolveFilename = function (request: string, ...rest: unknown[]) {
    const filename = resolve.call(this, request, ...rest);
    const name = adaptedPackage(request);
    if (name !== undefined && !Object.prototype.hasOwnProperty.call(internal._cache, filename)) adaptOnLoad(internal._cache, filename, name);
    return filename;
  };

  // The loader hooks cost a thread and ~80 ms at start: only pay when an adapted package is installed.
  if (typeof Module.register === "function" && ADAPTED_PACKAGES.some(isInstalled)) {
    Module.register(pathToFileURL(path.join(__dirname, "esm-loader.js")).href);
  }
}
