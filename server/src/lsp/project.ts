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
import { INFERRED_OPTIONS, isSourceFileName, parseTsconfig } from "../core/project";
import type { Problem } from "../core/types";

/** The text of the documents open in the editor, by absolute path. */
export interface OpenDocuments {
  get(file: string): { text: string; version: number } | undefined;
}

export type ProjectKind = { kind: "configured"; tsconfig: string } | { kind: "inferred" };

export class Project {
  readonly service: ts.LanguageService;
  /** Problems in the tsconfig, reported on it. */
  readonly problems: Problem[] = [];
  private options: ts.CompilerOptions;
  private rootNames: Set<string>;
  /** Versions of files read from disk, bumped when a watched file changes. */
  private readonly diskVersions = new Map<string, number>();

  constructor(
    readonly kind: ProjectKind,
    /** The folder the Async Lens configuration is looked up in and `ignore` globs are relative to. */
    readonly root: string,
    private readonly documents: OpenDocuments,
    registry: ts.DocumentRegistry,
  ) {
    ({ options: this.options, rootNames: this.rootNames } = this.readOptions());
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [...this.rootNames],
      getScriptVersion: (file) => {
        const open = this.documents.get(path.resolve(file));
        return open ? `open:${open.version}` : `disk:${this.diskVersions.get(path.resolve(file)) ?? 0}`;
      },
      getScriptSnapshot: (file) => {
        const text = this.documents.get(path.resolve(file))?.text ?? readText(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => root,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => this.documents.get(path.resolve(file)) !== undefined || ts.sys.fileExists(file),
      readFile: (file) => this.documents.get(path.resolve(file))?.text ?? ts.sys.readFile(file),
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      readDirectory: ts.sys.readDirectory,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
    };
    this.service = ts.createLanguageService(host, registry);
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

  /** A file changed on disk; a tsconfig change or a new or deleted file re-reads the file list and options. */
  fileChangedOnDisk(file: string, kind: "created" | "changed" | "deleted"): void {
    this.diskVersions.set(file, (this.diskVersions.get(file) ?? 0) + 1);
    if (this.kind.kind === "configured" && (file === this.kind.tsconfig || kind !== "changed")) {
      this.problems.length = 0;
      ({ options: this.options, rootNames: this.rootNames } = this.readOptions());
    }
  }

  /** The current program: built incrementally from the previous one by the LanguageService. */
  program(): ts.Program {
    const program = this.service.getProgram();
    if (program === undefined) throw new Error(`no program for the project at ${this.root}`);
    return program;
  }

  /** The project's own source files (not libraries, not declaration files), the scope of project-wide facts. */
  sourceFiles(program: ts.Program): ts.SourceFile[] {
    return program.getSourceFiles().filter((f) => this.rootNames.has(path.resolve(f.fileName)) && isSourceFileName(f.fileName));
  }

  dispose(): void {
    this.service.dispose();
  }

  private readOptions(): { options: ts.CompilerOptions; rootNames: Set<string> } {
    if (this.kind.kind === "inferred") return { options: INFERRED_OPTIONS, rootNames: this.rootNames ?? new Set() };
    const parsed = parseTsconfig(this.kind.tsconfig, this.problems);
    if (parsed === undefined) return { options: INFERRED_OPTIONS, rootNames: new Set() };
    return { options: parsed.options, rootNames: new Set(parsed.rootNames.map((f) => path.resolve(f))) };
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
