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

export function installModuleHooks(): void {
  if (installed) return;
  installed = true;
  (globalThis as Record<symbol, unknown>)[ADAPT_KEY] = adapt;

  const internal = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = internal._load;
  internal._load = function (request: string, ...rest: [unknown, boolean]) {
    const exports = load.call(this, request, ...rest);
    const name = adaptedPackage(request);
    if (name !== undefined) adapt(name, exports);
    return exports;
  };

  // The loader hooks cost a thread and ~80 ms at start: only pay when an adapted package is installed.
  if (typeof Module.register === "function" && ADAPTED_PACKAGES.some(isInstalled)) {
    Module.register(pathToFileURL(path.join(__dirname, "esm-loader.js")).href);
  }
}
