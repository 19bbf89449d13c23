// Which open files may see different findings after a file changed. A
// blocking chain or an awaited lock helper reaches into another file only
// through an import, so the files that import the changed one (directly or
// not) are the callers whose chains may have changed; a lock-order pair names
// its other side in related information, in the old findings (a pair that
// disappears) or the new ones (a pair that appears).
//
// Each file's resolved imports are cached by SourceFile object: the
// LanguageService hands out the same object while the file's text is the same,
// so after an edit only the edited file's imports are resolved again.
import * as path from "node:path";
import ts from "typescript";
import type { Finding } from "../core/types";

export class ImportGraph {
  private readonly imports = new WeakMap<ts.SourceFile, string[]>();
  private readonly cache: ts.ModuleResolutionCache;

  constructor(root: string) {
    this.cache = ts.createModuleResolutionCache(root, (f) => f);
  }

  /** Files of `files` that import `changed`, directly or through other files of `files`. */
  importersOf(changed: string, files: readonly ts.SourceFile[], options: ts.CompilerOptions): Set<string> {
    const importers = new Map<string, string[]>();
    for (const file of files) {
      for (const target of this.importsOf(file, options)) {
        const list = importers.get(target);
        if (list === undefined) importers.set(target, [file.fileName]);
        else list.push(file.fileName);
      }
    }
    const reached = new Set<string>();
    const pending = [path.resolve(changed)];
    while (pending.length > 0) {
      for (const importer of importers.get(pending.pop()!) ?? []) {
        const resolved = path.resolve(importer);
        if (reached.has(resolved)) continue;
        reached.add(resolved);
        pending.push(resolved);
      }
    }
    reached.delete(path.resolve(changed));
    return reached;
  }

  private importsOf(file: ts.SourceFile, options: ts.CompilerOptions): string[] {
    let targets = this.imports.get(file);
    if (targets === undefined) {
      // `require` calls count too: JavaScript projects import that way.
      const { importedFiles } = ts.preProcessFile(file.text, true, true);
      targets = [];
      for (const { fileName } of importedFiles) {
        const resolved = ts.resolveModuleName(fileName, file.fileName, options, ts.sys, this.cache).resolvedModule;
        if (resolved !== undefined && !resolved.isExternalLibraryImport) targets.push(path.resolve(resolved.resolvedFileName));
      }
      this.imports.set(file, targets);
    }
    return targets;
  }
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
