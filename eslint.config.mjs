// Lints the project's own TypeScript and keeps the import graph as the README's
// architecture draws it. Syntax-only (no type information), so it needs no
// tsconfig and a folder with a tsconfig of its own (client/) lints the same way.
import * as fs from "node:fs";
import tseslint from "typescript-eslint";

const RULES_DIR = "server/src/core/rules";
const ruleFolders = fs.readdirSync(RULES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

/** The runtime and the trace readers run without the compiler; the collector runs in its own thread. */
const TRACE_READERS = ["runtime/src/trace-reader.ts", "runtime/src/trace-summary.ts", "runtime/src/chrome-trace.ts", "runtime/src/cli/**/*.ts", "runtime/src/transport/viewer-client.ts", "client/**/*.ts"];

/** Later blocks replace an earlier block's list for the same file, so each list is complete. */
const CORE = [
  { regex: "^vscode(-languageserver.*)?$", message: "The analysis core stays free of the editor: the CLI and the language server share it." },
  { regex: "(^|/)cli/", message: "The core is below the CLI; pass what it needs in." },
];

function restrict(files, patterns) {
  return { files, rules: { "no-restricted-imports": ["error", { patterns }] } };
}

export default tseslint.config(
  { ignores: ["out/**", "node_modules/**", "test/fixtures/**", "examples/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  {
    files: ["server/**/*.ts", "runtime/**/*.ts", "test/**/*.ts", "client/**/*.ts"],
    extends: [tseslint.configs.recommended],
    rules: {
      // The TypeScript loader, the runtime's agent and its optional adapters require on purpose: lazily, or a module the program may not have.
      "@typescript-eslint/no-require-imports": "off",
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value='typescript'] > ImportNamespaceSpecifier",
          message: 'Write `import ts from "typescript"`: a namespace import wraps the compiler in getters (see server/src/core/load-typescript.ts).',
        },
      ],
    },
  },
  restrict(["server/src/core/**/*.ts"], CORE),
  restrict(["runtime/**/*.ts"], [
    { regex: "(^|/)server/", message: "The runtime runs inside the user's program and never loads the analyser." },
  ]),
  restrict(TRACE_READERS, [
    { regex: "(^|/)worker/collector", message: "Trace readers decode the protocol; the collector is the recording thread's." },
    { regex: "(^|/)server/", message: "Trace readers never load the analyser." },
  ]),
  ...ruleFolders.map((own) =>
    restrict([`${RULES_DIR}/${own}/**/*.ts`], [
      ...CORE,
      // Up one level into a sibling folder is another rule's: shared code goes to ast/, flow/, fixes/ or catalogue/.
      { regex: `^\\.\\./(?!${own}/)[^./][^/]*/`, message: "One rule folder never imports another: move what both need into ast/, flow/, fixes/ or catalogue/." },
    ]),
  ),
);
