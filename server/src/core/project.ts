// Builds a TypeScript program for the paths to check: the tsconfig project
// when there is one, otherwise an inferred project over the loose files
// (JavaScript included). Unreadable, binary and missing inputs become
// problems; everything readable is still analysed.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { Problem } from "./types";

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "out", "dist", "build", "coverage"]);

/** Compiler options for files that belong to no tsconfig. */
export const INFERRED_OPTIONS: ts.CompilerOptions = {
  // TypeScript 6 includes no @types package unless asked; loose files expect Node's.
  types: ["*"],
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.Preserve,
  skipLibCheck: true,
  allowArbitraryExtensions: true,
  resolveJsonModule: true,
  esModuleInterop: true,
};

export interface LoadOptions {
  /** Files and folders to check; empty means the current directory. */
  paths: string[];
  /** Explicit tsconfig file. */
  project?: string;
  cwd: string;
}

export interface LoadedProject {
  program: ts.Program;
  /** The files to analyse, in a stable order. */
  files: ts.SourceFile[];
  /** The folder the configuration is looked up in and paths are reported against. */
  root: string;
  problems: Problem[];
}

export function isSourceFileName(fileName: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => fileName.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(fileName);
}

/** Source files below `dir`, skipping dependency and build folders. */
function collectSourceFiles(dir: string, into: string[], problems: Problem[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({ kind: "read", file: dir, message: `cannot read folder ${dir}: ${(error as Error).message}` });
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith(".")) collectSourceFiles(full, into, problems);
    } else if (entry.isFile() && isSourceFileName(entry.name)) {
      into.push(full);
    }
  }
}

function formatDiagnostic(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${d.file.fileName}:${line + 1}:${character + 1}: ${message}`;
}

interface ParsedProject {
  options: ts.CompilerOptions;
  rootNames: string[];
}

/** Reads a tsconfig; a broken one is a config problem and yields undefined. */
export function parseTsconfig(configFile: string, problems: Problem[]): ParsedProject | undefined {
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) {
    problems.push({ kind: "config", file: configFile, message: `cannot use ${configFile}: ${formatDiagnostic(read.error)}` });
    return undefined;
  }
  // Projects written for TypeScript 5 use options that 6 deprecates; analysing them is still right.
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), { noEmit: true, ignoreDeprecations: "6.0" }, configFile);
  // "No inputs were found" is not fatal: the user may point at a folder of loose files.
  const errors = parsed.errors.filter((e) => e.code !== 18003);
  if (errors.length > 0) {
    problems.push({ kind: "config", file: configFile, message: `problems in ${configFile}: ${errors.map(formatDiagnostic).join("; ")}` });
  }
  // Before TypeScript 6 every visible @types package was included by default, and most
  // tsconfigs still rely on it: without it Node's APIs would have no types.
  const types = parsed.options.types ?? ["*"];
  return { options: { ...parsed.options, types, noEmit: true }, rootNames: parsed.fileNames };
}

/** A file is analysable text: no NUL byte in its first kilobytes. */
function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes("\u0000");
}

/** A compiler host that turns unreadable and binary files into problems instead of exceptions. */
function createHost(options: ts.CompilerOptions, problems: Problem[]): ts.CompilerHost {
  // No parent pointers at parse time: the binder sets them when the checker is
  // created, before any rule runs, and setting them twice is a full extra walk.
  const host = ts.createCompilerHost(options, false);
  // JSDoc carries types only in JavaScript; parsing it in .ts and .d.ts files
  // (@types/node is mostly JSDoc) is a sixth of the load time and no rule reads it.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeInfo;
  const reported = new Set<string>();
  const report = (file: string, message: string) => {
    if (reported.has(file)) return;
    reported.add(file);
    problems.push({ kind: "read", file, message });
  };
  host.readFile = (fileName) => {
    try {
      const text = fs.readFileSync(fileName, "utf8");
      if (looksBinary(text) && isSourceFileName(fileName)) {
        report(fileName, `skipped ${fileName}: it is a binary file, not source text`);
        return undefined;
      }
      return text;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "EISDIR") report(fileName, `cannot read ${fileName}: ${(error as Error).message}`);
      return undefined;
    }
  };
  host.getSourceFile = (fileName, languageVersion, onError) => {
    const text = host.readFile(fileName);
    if (text === undefined) {
      onError?.(`cannot read ${fileName}`);
      return undefined;
    }
    return ts.createSourceFile(fileName, text, languageVersion, false);
  };
  return host;
}

function findTsconfig(dir: string): string | undefined {
  const candidate = path.join(dir, "tsconfig.json");
  return fs.existsSync(candidate) ? candidate : undefined;
}

/**
 * The tsconfig project a single file belongs to: the nearest tsconfig.json above
 * it, when that project includes the file (as an editor would pick it), so the
 * file is checked with its project's compiler options and configuration.
 */
function owningProject(file: string, problems: Problem[]): { parsed: ParsedProject; root: string } | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const tsconfig = findTsconfig(dir);
    if (tsconfig !== undefined) {
      const own: Problem[] = [];
      const parsed = parseTsconfig(tsconfig, own);
      if (parsed === undefined || !parsed.rootNames.some((f) => path.resolve(f) === file)) return undefined;
      problems.push(...own);
      return { parsed, root: dir };
    }
    if (path.dirname(dir) === dir || path.basename(dir) === "node_modules") return undefined;
  }
}

/**
 * Loads what `async-lens check` was asked to check. Paths may be files or
 * folders; a folder with a tsconfig.json is checked as that project, and so is
 * a file that the nearest tsconfig.json above it includes.
 */
export function loadProject(options: LoadOptions): LoadedProject {
  const problems: Problem[] = [];
  const inputs = (options.paths.length > 0 ? options.paths : ["."]).map((p) => path.resolve(options.cwd, p));
  const wanted: string[] = [];
  let parsed: ParsedProject | undefined;
  let root = options.cwd;

  if (options.project !== undefined) {
    // Like `tsc -p`, a folder means the tsconfig.json inside it.
    const given = path.resolve(options.cwd, options.project);
    const configFile = fs.existsSync(given) && fs.statSync(given).isDirectory() ? path.join(given, "tsconfig.json") : given;
    if (!fs.existsSync(configFile)) {
      problems.push({ kind: "config", file: configFile, message: `tsconfig not found: ${configFile}` });
    } else {
      parsed = parseTsconfig(configFile, problems);
      root = path.dirname(configFile);
    }
  }

  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === "ENOENT" || code === "ENOTDIR" ? `path does not exist: ${input}` : `cannot access ${input}: ${(error as Error).message}`;
      problems.push({ kind: "usage", file: input, message });
      continue;
    }
    if (stat.isDirectory()) {
      const tsconfig = parsed === undefined && options.project === undefined ? findTsconfig(input) : undefined;
      if (tsconfig !== undefined) {
        parsed = parseTsconfig(tsconfig, problems);
        root = input;
      }
      if (parsed === undefined) {
        collectSourceFiles(input, wanted, problems);
        if (inputs.length === 1) root = input;
      } else {
        const prefix = input.endsWith(path.sep) ? input : input + path.sep;
        wanted.push(...parsed.rootNames.filter((f) => path.resolve(f).startsWith(prefix) && isSourceFileName(f)));
      }
    } else {
      if (parsed === undefined && options.project === undefined) {
        const owner = owningProject(input, problems);
        if (owner !== undefined) ({ parsed, root } = owner);
      }
      wanted.push(input);
      if (inputs.length === 1 && parsed === undefined) root = path.dirname(input);
    }
  }

  const compilerOptions = parsed?.options ?? INFERRED_OPTIONS;
  const rootNames = [...new Set([...(parsed?.rootNames ?? []), ...wanted].map((f) => path.resolve(f)))];
  const host = createHost(compilerOptions, problems);
  const program = ts.createProgram({ rootNames, options: compilerOptions, host });
  const wantedSet = new Set(wanted.map((f) => path.resolve(f)));
  const files = program
    .getSourceFiles()
    .filter((sf) => wantedSet.has(path.resolve(sf.fileName)))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  return { program, files, root, problems };
}

/**
 * A program over in-memory sources, for tests and the language server's unsaved
 * buffers. With `oldProgram`, its already parsed and bound declaration files
 * (TypeScript's lib, @types) are reused instead of being read and parsed again.
 */
export function createInMemoryProgram(sources: Record<string, string>, options: ts.CompilerOptions = INFERRED_OPTIONS, oldProgram?: ts.Program): ts.Program {
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => sources[path.resolve(f)] ?? readFile(f);
  host.fileExists = (f) => path.resolve(f) in sources || fileExists(f);
  // Module resolution asks whether a folder exists before looking for files in it.
  const folders = new Set(Object.keys(sources).flatMap((f) => ancestorsOf(path.resolve(f))));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => folders.has(path.resolve(d)) || (directoryExists?.(d) ?? false);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, onError) => {
    const text = sources[path.resolve(f)];
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    const previous = oldProgram?.getSourceFile(f);
    return previous?.isDeclarationFile ? previous : getSourceFile(f, lang, onError);
  };
  return ts.createProgram({ rootNames: Object.keys(sources), options, host, oldProgram });
}

function ancestorsOf(file: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(file); !out.includes(dir); dir = path.dirname(dir)) out.push(dir);
  return out;
}
