// The real code bases the analysis benchmark runs on. Each is a published npm
// package pinned to one version, laid out in the bench cache the way its own
// repository is, with the typings its sources need installed beside it, and a
// tsconfig that tsc, ESLint and async-lens all load.
import * as fs from "node:fs";
import * as path from "node:path";

export interface BenchTree {
  /** Folder name in the cache and label in the tables. */
  id: string;
  /** The npm package whose tarball holds the sources. */
  packageName: string;
  version: string;
  /** What the tree is, for the table heading. */
  description: string;
  /** Printed under the table: what to keep in mind when reading its ratios. */
  note?: string;
  /** Folders (relative to the tree) that ESLint is pointed at: those the tsconfig includes. */
  lintTargets: string[];
  /** How ESLint parses `.js` files of this tree. */
  sourceType: "module" | "commonjs";
  /** Measured runs per tool; the big tree gets fewer to keep the bench within minutes. */
  runs: number;
  /** Packages, at exact versions, that the sources' imports need for their types. */
  typings: Record<string, string>;
  /** Folder (relative to the tree) that `typings` are installed into. */
  typingsFolder: string;
  /** Fields of the package.json written in the typings folder, besides the dependencies. */
  manifest?: Record<string, unknown>;
  /** Moves what the benchmark analyses from the unpacked tarball (`unpacked/package`) into `dir`. */
  layout(unpacked: string, dir: string): void;
  tsconfig: Record<string, unknown>;
}

function moveIntoWorkspace(dir: string, packagePath: string, workspace: string): void {
  // npm's own repository keeps arborist as a workspace linked from node_modules;
  // doing the same for the bundled libraries keeps them project code (outside
  // node_modules) while `require("pacote")` still resolves to them.
  const from = path.join(dir, "node_modules", packagePath);
  const to = path.join(dir, "workspaces", workspace);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(from, to);
  fs.symlinkSync(path.relative(path.dirname(from), to), from, "dir");
}

/** A JavaScript package checked as its sources are, with Node's typings installed in `bench-typings/`. */
export const JAVASCRIPT_COMPILER_OPTIONS = {
  allowJs: true,
  checkJs: false,
  target: "ES2022",
  module: "node16",
  moduleResolution: "node16",
  skipLibCheck: true,
  lib: ["es2023"],
  typeRoots: ["./bench-typings/node_modules/@types"],
  types: ["node"],
  noEmit: true,
};

export const TREES: readonly BenchTree[] = [
  {
    id: "mongodb",
    packageName: "mongodb",
    version: "7.9.0",
    description: "the MongoDB driver's src/ (TypeScript)",
    lintTargets: ["src"],
    sourceType: "module",
    runs: 5,
    typings: {
      bson: "7.3.4",
      "mongodb-connection-string-url": "7.0.2",
      "@mongodb-js/saslprep": "1.6.3",
      "@types/node": "22.20.5",
      // Optional peer dependencies whose types src/deps.ts imports.
      kerberos: "7.0.0",
      "gcp-metadata": "7.0.1",
      "mongodb-client-encryption": "7.2.1",
    },
    typingsFolder: ".",
    layout(unpacked, dir) {
      fs.renameSync(path.join(unpacked, "package", "src"), path.join(dir, "src"));
    },
    // The driver's own tsconfig, minus emit settings.
    tsconfig: {
      compilerOptions: {
        allowJs: true,
        checkJs: false,
        strict: true,
        alwaysStrict: true,
        target: "ES2023",
        module: "node16",
        moduleResolution: "node16",
        esModuleInterop: false,
        ignoreDeprecations: "6.0",
        skipLibCheck: true,
        lib: ["es2023"],
        types: ["node"],
        forceConsistentCasingInFileNames: true,
        noImplicitOverride: true,
        noImplicitReturns: true,
        useUnknownInCatchVariables: false,
        useDefineForClassFields: false,
        noEmit: true,
      },
      include: ["src/**/*"],
    },
  },
  {
    id: "npm",
    packageName: "npm",
    version: "12.2.0",
    description: "the npm CLI's lib/ with its bundled @npmcli/arborist, pacote and cacache (JavaScript)",
    note:
      "with checkJs off, tsc only parses and binds JavaScript (no type check), which any checker-based analysis must do too: the targets against tsc cannot hold here, the one against ESLint is the measure",
    lintTargets: ["lib", "workspaces/arborist/lib", "workspaces/pacote/lib", "workspaces/cacache/lib"],
    sourceType: "commonjs",
    runs: 5,
    // A JavaScript project still gets Node's typings in an editor (automatic type acquisition).
    typings: { "@types/node": "22.20.5" },
    typingsFolder: "bench-typings",
    layout(unpacked, dir) {
      for (const entry of fs.readdirSync(path.join(unpacked, "package"))) {
        fs.renameSync(path.join(unpacked, "package", entry), path.join(dir, entry));
      }
      moveIntoWorkspace(dir, "@npmcli/arborist", "arborist");
      moveIntoWorkspace(dir, "pacote", "pacote");
      moveIntoWorkspace(dir, "cacache", "cacache");
    },
    tsconfig: {
      compilerOptions: JAVASCRIPT_COMPILER_OPTIONS,
      include: ["lib/**/*.js", "workspaces/*/lib/**/*.js"],
    },
  },
  {
    id: "effect",
    packageName: "effect",
    version: "4.1.0",
    description: "effect's src/ (TypeScript), for scale",
    lintTargets: ["src"],
    sourceType: "module",
    runs: 1,
    typings: { "@types/node": "26.6.6" },
    typingsFolder: ".",
    // The sources import themselves by package name (`effect/Cause`).
    manifest: { name: "effect", type: "module", exports: { "./*": "./src/*.ts" } },
    layout(unpacked, dir) {
      fs.renameSync(path.join(unpacked, "package", "src"), path.join(dir, "src"));
    },
    // Close to effect's own settings: ES modules importing `./X.ts`, strict with exact optional properties.
    tsconfig: {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        types: ["node"],
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ["src/**/*"],
    },
  },
];

/** The package.json written in the tree's typings folder. */
export function typingsManifest(tree: BenchTree): Record<string, unknown> {
  return { name: `bench-${tree.id}`, private: true, ...tree.manifest, dependencies: tree.typings };
}
