// ESLint configuration for the analysis benchmark only: typescript-eslint typed
// linting with the async rules ESLint users reach for, over the tree whose
// tsconfig the benchmark names in ASYNC_LENS_BENCH_TSCONFIG.
import * as path from "node:path";
import n from "eslint-plugin-n";
import tseslint from "typescript-eslint";

const tsconfig = process.env.ASYNC_LENS_BENCH_TSCONFIG;
if (!tsconfig) throw new Error("ASYNC_LENS_BENCH_TSCONFIG must name the tree's tsconfig.json");
const sourceType = process.env.ASYNC_LENS_BENCH_SOURCE_TYPE === "commonjs" ? "commonjs" : "module";

export default [
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      parser: tseslint.parser,
      sourceType,
      ecmaVersion: "latest",
      parserOptions: { project: tsconfig, tsconfigRootDir: path.dirname(tsconfig) },
    },
    plugins: { "@typescript-eslint": tseslint.plugin, n },
    rules: {
      "@typescript-eslint/no-floating-promises": "warn",
      "@typescript-eslint/no-misused-promises": "warn",
      // The type-aware variant, which typed setups use in place of the core rule.
      "@typescript-eslint/require-await": "warn",
      "require-atomic-updates": "warn",
      "no-await-in-loop": "warn",
      "n/no-sync": "warn",
    },
  },
];
