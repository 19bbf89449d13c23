// Builds a TypeScript program for the paths to check: the tsconfig project
// when there is one, otherwise an inferred project over the loose files
// (JavaScript included). Unreadable, binary, too deeply nested and missing
// inputs become problems; everything readable is still analysed.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { MAX_NESTING_DEPTH, nestedDeeperThan } from "./nesting";
import { invalidUtf8Description } from "./source-text";
import type { Problem } from "./types";

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "out", "dist", "build", "coverage"]);

/** Compiler options for files that belong to no tsconfig. */
export const INFERRED_OPTIONS: ts.CompilerOptions = {
  // TypeScript 6 includes no @types package unless asked; loose files expect Node's.
  // Only Node's: other packages' types come with their imports, and each global
  // @types package costs start-up time on a one-file check.
  types: ["node"],
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

/** Globals only a browser (or a runtime that mimics one) has; `navigator.locks` is a lock the rules know. */
const BROWSER_GLOBALS = /\b(?:window|document|navigator|localStorage|sessionStorage|customElements|HTMLElement)\b/;

/**
 * The inferred options for these loose files: without the DOM's declarations
 * unless a file names a browser global. The DOM is half the text a one-file
 * check parses and binds (a git hook's check is mostly that start-up), and
 * Node's types declare what server code shares with browsers (fetch, URL,
 * AbortController, timers).
 */
function inferredOptionsFor(files: readonly string[]): ts.CompilerOptions {
  const browser = files.some((f) => {
    try {
      return BROWSER_GLOBALS.test(fs.readFileSync(f, "utf8"));
    } catch {
      return false; // reported when the program reads it
    }
  });
  return browser ? INFERRED_OPTIONS : { ...INFERRED_OPTIONS, lib: ["lib.es2022.d.ts"] };
}

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

/**
 * Source files below `dir`, skipping dependency and build folders. Symbolic
 * links are followed; `visited` (real paths of folders and files already
 * taken) ends link loops and keeps a file reached twice from being analysed twice.
 */
function collectSourceFiles(dir: string, into: string[], problems: Problem[], visited: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({ kind: "read", file: dir, message: `cannot read folder ${dir}: ${(error as Error).message}` });
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      if (entry.name.startsWith(".") || SKIPPED_DIRECTORIES.has(entry.name)) continue;
      let target: fs.Stats;
      try {
        target = fs.statSync(full);
      } catch (error) {
        if (isSourceFileName(entry.name)) problems.push({ kind: "notice", file: full, message: `skipped ${full}: a symbolic link to nothing readable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
        continue;
      }
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || entry.name.startsWith(".")) continue;
      if (firstVisit(full, visited)) collectSourceFiles(full, into, problems, visited);
    } else if (isFile && isSourceFileName(entry.name) && firstVisit(full, visited)) {
      into.push(full);
    }
  }
}

function firstVisit(file: string, visited: Set<string>): boolean {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    real = file;
  }
  if (visited.has(real)) return false;
  visited.add(real);
  return true;
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

/**
 * A compiler host that turns unreadable, binary and too deeply nested files
 * into problems instead of exceptions, and notes source files that are not valid UTF-8.
 */
function createHost(options: ts.CompilerOptions, problems: Problem[]): ts.CompilerHost {
  // No parent pointers at parse time: the binder sets them when the checker is
  // created, before any rule runs, and setting them twice is a full extra walk.
  const host = ts.createCompilerHost(options, false);
  // JSDoc carries types only in JavaScript; parsing it in .ts and .d.ts files
  // (@types/node is mostly JSDoc) is a sixth of the load time and no rule reads it.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeInfo;
  const reported = new Set<string>();
  const report = (file: string, message: string, kind: Problem["kind"] = "read") => {
    if (reported.has(file)) return;
    reported.add(file);
    problems.push({ kind, file, message });
  };
  host.readFile = (fileName) => {
    try {
      if (!isSourceFileName(fileName)) return fs.readFileSync(fileName, "utf8");
      const bytes = fs.readFileSync(fileName);
      const text = bytes.toString("utf8");
      if (looksBinary(text)) {
        report(fileName, `skipped ${fileName}: it is a binary file, not source text`);
        return undefined;
      }
      const invalid = invalidUtf8Description(bytes);
      if (invalid !== undefined) report(fileName, `${fileName} is ${invalid}: analysed with its invalid bytes read as U+FFFD; --fix leaves it alone`, "notice");
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
    const tooDeep = () => {
      report(fileName, `skipped ${fileName}: its code is nested too deeply to analyse (more than ${MAX_NESTING_DEPTH} levels)`);
      onError?.(`${fileName} is nested too deeply`);
      return undefined;
    };
    let file: ts.SourceFile;
    try {
      file = ts.createSourceFile(fileName, text, languageVersion, false);
    } catch (error) {
      // TypeScript's parser recurses per level of nesting; only its stack overflow is this file's fault.
      if (error instanceof RangeError) return tooDeep();
      throw error;
    }
    return !file.isDeclarationFile && nestedDeeperThan(file) ? tooDeep() : file;
  };
  return host;
}

function findTsconfig(dir: string): string | undefined {
  const candidate = path.join(dir, "tsconfig.json");
  return fs.existsSync(candidate) ? candidate : undefined;
}

/** The nearest tsconfig.json at or above `dir`, not looking past a node_modules folder: the CLI and the language server both pick a file's project this way. */
export function nearestTsconfigAbove(dir: string): string | undefined {
  for (; ; dir = path.dirname(dir)) {
    const tsconfig = findTsconfig(dir);
    if (tsconfig !== undefined) return tsconfig;
    if (path.dirname(dir) === dir || path.basename(dir) === "node_modules") return undefined;
  }
}

/**
 * The tsconfig project a file or folder belongs to: the nearest tsconfig.json
 * above it, when that project includes the file (or any file in the folder),
 * as an editor would pick it, so it is checked with its project's compiler
 * options and configuration. A broken tsconfig is reported whichever path led to it.
 */
function owningProject(target: string, isFolder: boolean, problems: Problem[]): { parsed: ParsedProject; root: string } | undefined {
  const tsconfig = nearestTsconfigAbove(path.dirname(target));
  if (tsconfig === undefined) return undefined;
  const own: Problem[] = [];
  const parsed = parseTsconfig(tsconfig, own);
  if (parsed === undefined) {
    problems.push(...own);
    return undefined;
  }
  const prefix = target + path.sep;
  const includes = (f: string) => (isFolder ? path.resolve(f).startsWith(prefix) : path.resolve(f) === target);
  if (!parsed.rootNames.some(includes)) return undefined;
  problems.push(...own);
  return { parsed, root: path.dirname(tsconfig) };
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

  const visited = new Set<string>();
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
      if (parsed === undefined && options.project === undefined) {
        const tsconfig = findTsconfig(input);
        if (tsconfig !== undefined) {
          parsed = parseTsconfig(tsconfig, problems);
          root = input;
        } else {
          const owner = owningProject(input, true, problems);
          if (owner !== undefined) ({ parsed, root } = owner);
        }
      }
      if (parsed === undefined) {
        collectSourceFiles(input, wanted, problems, visited);
        if (inputs.length === 1) root = input;
      } else {
        const prefix = input.endsWith(path.sep) ? input : input + path.sep;
        wanted.push(...parsed.rootNames.filter((f) => path.resolve(f).startsWith(prefix) && isSourceFileName(f)));
      }
    } else if (!stat.isFile()) {
      // Reading a FIFO or a device would wait for a writer forever.
      problems.push({ kind: "usage", file: input, message: `${input} is not a regular file` });
    } else {
      if (parsed === undefined && options.project === undefined) {
        const owner = owningProject(input, false, problems);
        if (owner !== undefined) ({ parsed, root } = owner);
      }
      wanted.push(input);
      if (inputs.length === 1 && parsed === undefined) root = path.dirname(input);
    }
  }

  const rootNames = [...new Set([...(parsed?.rootNames ?? []), ...wanted].map((f) => path.resolve(f)))];
  const compilerOptions = parsed?.options ?? inferredOptionsFor(rootNames);
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
* A program over in-memory sources, for tests (the language server keeps a
 * LanguageService instead). With `oldProgram`, its already parsed and bound declaration files
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
