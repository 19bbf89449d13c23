// Which open files may see different findings after a file changed. A
// blocking chain or an awaited lock helper reaches into another file only
// through an import, so the files that import the changed one (directly or
// not) are the callers whose chains may have changed; a lock-order pair names
// its other side in related information, in the old findings (a pair that
// disappears) or the new ones (a pair that appears).
//
// The import graph is kept between analyses and updated for the files whose
// SourceFile object changed: the LanguageService hands out the same object
// while a file's text is the same, so after an edit only the edited file's
// imports are read again, through the module resolution cache the program
// filled, so nothing is resolved twice. A file created or deleted on disk
// changes what unchanged files' imports resolve to, so then the graph starts over.
import * as path from "node:path";
import ts from "typescript";
import type { Finding } from "../core/types";

export class ImportGraph {
  /** What each file imports (absolute paths), with the SourceFile that was read. */
  private readonly imports = new Map<string, { source: ts.SourceFile; targets: string[] }>();
  /** The reverse of `imports`: the files that import each file directly. */
  private readonly importers = new Map<string, Set<string>>();
  /**
   * @param resolve the file (absolute path) a module specifier of `file` names, as the project's program resolved it.
   * @param absolute a TypeScript file name made absolute (the project remembers them: every file is looked at after each edit).
   */
  constructor(
    private readonly resolve: (specifier: ts.StringLiteralLike, file: ts.SourceFile) => string | undefined,
    private readonly absolute: (fileName: string) => string,
  ) {}

  /** Files of `files` that import one of `changed`, directly or through other files of `files`. */
  importersOf(changed: readonly string[], files: readonly ts.SourceFile[]): Set<string> {
    this.update(files);
    const reached = new Set<string>();
    const pending = changed.map((f) => path.resolve(f));
    while (pending.length > 0) {
      for (const importer of this.importers.get(pending.pop()!) ?? []) {
        if (reached.has(importer)) continue;
        reached.add(importer);
        pending.push(importer);
      }
    }
    for (const f of changed) reached.delete(path.resolve(f));
    return reached;
  }

  /** A file was created or deleted: an import that did not resolve may now, and one that did may not. */
  filesAddedOrRemoved(): void {
    this.imports.clear();
    this.importers.clear();
  }

  /** Brings the graph to `files`: reads the imports of the files whose text changed again, drops the files that are gone. */
  private update(files: readonly ts.SourceFile[]): void {
    const present = new Set<string>();
    for (const file of files) {
      const name = this.absolute(file.fileName);
      present.add(name);
      const known = this.imports.get(name);
      if (known?.source === file) continue;
      if (known !== undefined) this.unlink(name, known.targets);
      const targets = this.importedFiles(file);
      this.imports.set(name, { source: file, targets });
      for (const target of targets) {
        const set = this.importers.get(target);
        if (set === undefined) this.importers.set(target, new Set([name]));
        else set.add(name);
      }
    }
    if (present.size === this.imports.size) return;
    for (const [name, { targets }] of this.imports) {
      if (present.has(name)) continue;
      this.unlink(name, targets);
      this.imports.delete(name);
    }
  }

  /** The files `file` imports, re-exports, requires or augments, by the specifiers its program collected. */
  private importedFiles(file: ts.SourceFile): string[] {
    const targets = new Set<string>();
    const { imports = [], moduleAugmentations = [] } = file as ProgramSourceFile;
    for (const specifier of [...imports, ...moduleAugmentations]) {
      if (!ts.isStringLiteralLike(specifier)) continue;
      const target = this.resolve(specifier, file);
      if (target !== undefined) targets.add(target);
    }
    for (const reference of file.referencedFiles) targets.add(path.resolve(path.dirname(file.fileName), reference.fileName));
    return [...targets];
  }

  private unlink(importer: string, targets: readonly string[]): void {
    for (const target of targets) {
      const set = this.importers.get(target);
      set?.delete(importer);
      if (set?.size === 0) this.importers.delete(target);
    }
  }
}

/**
 * A SourceFile of a program, with the module specifiers the program collected
 * from it while it resolved them: import and export declarations, requires,
 * dynamic imports, import types and JSDoc imports. The fields are TypeScript's
 * own (not in its typings; tsserver reads them the same way), and finding all
 * those forms again by walking every node would cost more on each keystroke.
 */
interface ProgramSourceFile extends ts.SourceFile {
  imports?: readonly ts.StringLiteralLike[];
  moduleAugmentations?: readonly (ts.StringLiteral | ts.Identifier)[];
}

/** Files other than `file` that findings of or about `file` name in their related information. */
export function relatedFiles(file: string, ...findingLists: (readonly Finding[] | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const findings of findingLists) {
    for (const f of findings ?? []) {
      for (const r of f.related) {
        if (f.file === file && r.location.file !== file) out.add(path.resolve(r.location.file));
        if (f.file !== file && r.location.file === file) out.add(path.resolve(f.file));
      }
    }
  }
  return out;
}
