// One TypeScript LanguageService per project: a tsconfig project, or the
// inferred project of a workspace folder's loose files. Open documents are the
// source of truth for their text, files on disk for the rest. Each edit bumps
// a version (the document's, or a counter for files on disk) and the
// LanguageService updates its program incrementally,
// re-parsing only what changed; unchanged SourceFile objects (and TypeScript's
// lib, @types) are shared between programs and between projects through one
// DocumentRegistry.
//
// A plain LanguageService never loads tsserver plugins, and nothing here
// evaluates workspace code: tsconfig files and the Async Lens configuration
// are read as JSON.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { CarriedFacts } from "../core/facts";
import { INFERRED_OPTIONS, isSourceFileName, parseTsconfig } from "../core/project";
import { textChange } from "../core/text-change";
import type { Problem } from "../core/types";
import { ImportGraph } from "./dependents";

/** The text of the documents open in the editor, by absolute path. */
export interface OpenDocuments {
  get(file: string): { text: string; version: number } | undefined;
}

export type ProjectKind = { kind: "configured"; tsconfig: string } | { kind: "inferred" };

export class Project {
  readonly service: ts.LanguageService;
  readonly imports: ImportGraph;
  /** Project-wide facts kept between analyses, per file (see CarriedFacts). */
  private readonly carried = new CarriedFacts();
  /** The SourceFiles of the last analysis: a different object is a changed text. */
  private analysedSources = new Map<string, ts.SourceFile>();
  /** The configuration the carried facts were computed with. */
  private carriedConfig = "";
  /** Problems in the tsconfig, reported on it. */
  readonly problems: Problem[] = [];
  private options: ts.CompilerOptions;
  private rootNames: Set<string>;
  /** Versions of files read from disk, bumped when a watched file changes. */
  private readonly diskVersions = new Map<string, number>();
  /**
   * Snapshots of files read from disk, by version: TypeScript asks for the
   * snapshot of every file of the program on each update, before it looks at
   * the version, so without them every keystroke re-reads the whole project.
   */
  private readonly diskSnapshots = new Map<string, { version: number; snapshot: ts.IScriptSnapshot | undefined }>();
  /**
   * Module resolutions and package.json lookups kept between programs, as
   * tsserver keeps them: an edit re-resolves the edited file's imports, which
   * would otherwise probe the file system again. A created or deleted file can
   * change any resolution, so it clears them.
   */
  private resolutions: ts.ModuleResolutionCache;
  private readonly absolutes = new Map<string, string>();

  constructor(
    readonly kind: ProjectKind,
    /** The folder the Async Lens configuration is looked up in and `ignore` globs are relative to. */
    readonly root: string,
    private readonly documents: OpenDocuments,
    registry: ts.DocumentRegistry,
  ) {
    ({ options: this.options, rootNames: this.rootNames } = this.readOptions());
    this.resolutions = this.newResolutionCache();
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [...this.rootNames],
      getScriptVersion: (file) => {
        const resolved = this.absolute(file);
        const open = this.documents.get(resolved);
        return open ? `open:${open.version}` : `disk:${this.diskVersions.get(resolved) ?? 0}`;
      },
      getScriptSnapshot: (file) => {
        const open = this.documents.get(this.absolute(file))?.text;
        if (open !== undefined) return new EditedSnapshot(open);
        return this.diskSnapshot(file);
      },
      getCurrentDirectory: () => root,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => this.documents.get(this.absolute(file)) !== undefined || ts.sys.fileExists(file),
      readFile: (file) => this.documents.get(this.absolute(file))?.text ?? ts.sys.readFile(file),
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      readDirectory: ts.sys.readDirectory,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
      getModuleResolutionCache: () => this.resolutions,
      resolveModuleNameLiterals: (literals, containingFile, redirected, options, containingSource) =>
        literals.map((literal) => ts.resolveModuleName(literal.text, containingFile, options, host, this.resolutions, redirected, ts.getModeForUsageLocation(containingSource, literal, options))),
    } as ts.LanguageServiceHost & { getModuleResolutionCache(): ts.ModuleResolutionCache };
    this.service = ts.createLanguageService(host, registry);
    // The program resolved every import through `this.resolutions`: these are cache hits.
    this.imports = new ImportGraph((specifier, file) => {
      const mode = ts.getModeForUsageLocation(file, specifier, this.options);
      const resolved = ts.resolveModuleName(specifier.text, file.fileName, this.options, host, this.resolutions, undefined, mode).resolvedModule;
      return resolved === undefined ? undefined : path.resolve(resolved.resolvedFileName);
    }, (file) => this.absolute(file));
  }

  /**
   * The carried facts, made valid for `files` of the current program: a file
   * whose text changed loses its facts, and so do the files that import it
   * (their lock sections may reach into it). A changed script file (no imports
   * or exports) shares globals with every file, so then nothing is kept.
   */
  carriedFacts(files: readonly ts.SourceFile[], configKey: string): CarriedFacts {
    if (configKey !== this.carriedConfig) {
      this.carried.clear();
      this.carriedConfig = configKey;
    }
    const current = new Map(files.map((f) => [f.fileName, f]));
    const changed = [...files.filter((f) => this.analysedSources.get(f.fileName) !== f).map((f) => f.fileName), ...[...this.analysedSources.keys()].filter((f) => !current.has(f))];
    if (this.analysedSources.size > 0 && changed.length > 0) {
      if (changed.some((f) => current.has(f) && !isModule(current.get(f)!))) this.carried.clear();
      else this.carried.markStale([...changed, ...this.imports.importersOf(changed, files)]);
    }
    this.analysedSources = current;
    return this.carried;
  }

  /** A tsconfig project owns the files its tsconfig includes; the inferred project the files it was given. */
  owns(file: string): boolean {
    return this.rootNames.has(file);
  }

  /** Adds a loose file to the inferred project. */
  addRoot(file: string): void {
    this.rootNames.add(file);
  }

  removeRoot(file: string): void {
    this.rootNames.delete(file);
  }

  /** A file changed on disk (a tsconfig change re-creates the projects, see Workspace); a new or deleted file re-reads the file list. */
  fileChangedOnDisk(file: string, kind: "created" | "changed" | "deleted"): void {
    this.diskVersions.set(file, (this.diskVersions.get(file) ?? 0) + 1);
    if (kind !== "changed") {
      // Imports that did not resolve may now, and the reverse: facts that reached into other files are computed again.
      this.carried.clear();
      this.imports.filesAddedOrRemoved();
      if (this.kind.kind === "configured") {
        this.problems.length = 0;
        ({ options: this.options, rootNames: this.rootNames } = this.readOptions());
      }
    }
    if (kind !== "changed" || path.basename(file) === "package.json") this.resolutions = this.newResolutionCache();
  }

  /** The current program: built incrementally from the previous one by the LanguageService. */
  program(): ts.Program {
    const program = this.service.getProgram();
    if (program === undefined) throw new Error(`no program for the project at ${this.root}`);
    return program;
  }

  /** The project's own source files (not libraries, not declaration files), the scope of project-wide facts. */
  sourceFiles(program: ts.Program): ts.SourceFile[] {
    return program.getSourceFiles().filter((f) => this.rootNames.has(this.absolute(f.fileName)) && isSourceFileName(f.fileName));
  }

  dispose(): void {
    this.service.dispose();
  }

  private diskSnapshot(file: string): ts.IScriptSnapshot | undefined {
    const resolved = this.absolute(file);
    const version = this.diskVersions.get(resolved) ?? 0;
    const cached = this.diskSnapshots.get(resolved);
    if (cached?.version === version) return cached.snapshot;
    const text = readText(file);
    const snapshot = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    this.diskSnapshots.set(resolved, { version, snapshot });
    return snapshot;
  }

  private newResolutionCache(): ts.ModuleResolutionCache {
    return ts.createModuleResolutionCache(this.root, (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()), this.options);
  }

  /** TypeScript's file names made absolute, remembered: the host is asked about every file of the program on each update, several times over. */
  private absolute(file: string): string {
    let resolved = this.absolutes.get(file);
    if (resolved === undefined) {
      resolved = path.resolve(file);
      this.absolutes.set(file, resolved);
    }
    return resolved;
  }

  private readOptions(): { options: ts.CompilerOptions; rootNames: Set<string> } {
    if (this.kind.kind === "inferred") return { options: INFERRED_OPTIONS, rootNames: this.rootNames ?? new Set() };
    const parsed = parseTsconfig(this.kind.tsconfig, this.problems);
    if (parsed === undefined) return { options: INFERRED_OPTIONS, rootNames: new Set() };
    return { options: parsed.options, rootNames: new Set(parsed.rootNames.map((f) => path.resolve(f))) };
  }
}

/**
 * The text of an open document, which tells TypeScript what changed since the
 * previous snapshot so it re-parses only around the edit, as tsserver does.
 */
class EditedSnapshot implements ts.IScriptSnapshot {
  constructor(private readonly text: string) {}

  getText(start: number, end: number): string {
    return this.text.substring(start, end);
  }

  getLength(): number {
    return this.text.length;
  }

  getChangeRange(old: ts.IScriptSnapshot): ts.TextChangeRange {
    const { start, oldEnd, newEnd } = textChange(old.getText(0, old.getLength()), this.text);
    return ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start);
  }
}

/** ES modules, and CommonJS files, which share nothing but what they require. */
function isModule(file: ts.SourceFile): boolean {
  return ts.isExternalModule(file) || /\b(?:require\s*\(|module\.exports\b|exports\.\w+\s*=)/.test(file.text);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
