// Module loader hooks (module.register) for ES modules of adapted packages.
// An ES module's exports cannot be patched from outside, so its URL is served
// as a small wrapper that imports the original under a marked URL, hands the
// namespace to the runtime's adapter, and re-exports it.
import { ADAPTED_PACKAGES } from "./adapters/index";

const ORIGINAL = "async-lens-original";

type LoadResult = { format?: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean };
type NextLoad = (url: string, context: { format?: string }) => Promise<LoadResult>;

function packageOf(url: string): string | undefined {
  if (!url.startsWith("file:") || url.includes(ORIGINAL)) return undefined;
  const at = url.lastIndexOf("/node_modules/");
  if (at < 0) return undefined;
  const name = url.slice(at + "/node_modules/".length).split("/")[0];
  return ADAPTED_PACKAGES.includes(name) ? name : undefined;
}

export async function load(url: string, context: { format?: string }, nextLoad: NextLoad): Promise<LoadResult> {
  const name = packageOf(url);
  if (name === undefined) return nextLoad(url, context);
  const loaded = await nextLoad(url, context);
  if (loaded.format !== "module") return loaded;
  const original = JSON.stringify(`${url}${url.includes("?") ? "&" : "?"}${ORIGINAL}`);
  const source = [
    `import * as original from ${original};`,
    `const adapted = globalThis[Symbol.for("async-lens.adapt")]?.(${JSON.stringify(name)}, original);`,
    `export * from ${original};`,
    `export default (adapted ?? original.default);`,
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
