// Bundles what the .vsix ships into dist/: the extension (client.js), the
// language server with the TypeScript compiler it analyses with (server.js, so
// it never loads a workspace's own TypeScript), and the runtime, whose entry
// points keep their relative layout because they find each other by __dirname.
// Usage: node client/scripts/bundle.mjs [--minify]
import * as esbuild from "esbuild";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const minify = process.argv.includes("--minify");
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: minify ? false : "linked",
  minify,
  logLevel: "warning",
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its "module" build bundles.
  mainFields: ["module", "main"],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: { client: "client/src/extension.ts" }, outdir: "dist", external: ["vscode"] }),
  // The whole command line: the client starts its `lsp` command.
  esbuild.build({ ...common, entryPoints: { server: "server/src/cli/main.ts" }, outdir: "dist" }),
  esbuild.build({
    ...common,
    entryPoints: ["runtime/src/register.ts", "runtime/src/esm-loader.ts", "runtime/src/worker/collector.ts"],
    outbase: "runtime/src",
    outdir: "dist/runtime",
    // Loaded by the program only when it uses OpenTelemetry; it must be the program's own copy.
    external: ["@opentelemetry/api"],
  }),
]);
