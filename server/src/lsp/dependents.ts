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
// imports are resolved again. A file created or deleted on disk changes what
// unchanged files' imports resolve to, so then the graph starts over.
import * as path from "node:path";
import ts from "typescript";
import { textChange } from "../core/text-change";
import type { Finding } from "../core/types";

export class ImportGraph {
  /** What each file imports (absolute paths), with the SourceFile that was resolved. */
  private readonly imports = new Map<string, { source: ts.SourceFile; targets: string[] }>();
  /** The reverse of `imports`: the files that import each file directly. */
  private readonly importers = new Map<string, Set<string>>();
  /** @param resolve the project file an import specifier names, as the project's program resolves it (sharing its cache); undefined for a library's. */
  constructor(private readonly resolve: (specifier: string, containingFile: string) => string | undefined) {}

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

  /** Brings the graph to `files`: re-resolves the files whose text changed, drops the files that are gone. */
  private update(files: readonly ts.SourceFile[]): void {
    const present = new Set<string>();
    for (const file of files) {
      const name = path.resolve(file.fileName);
      present.add(name);
      const known = this.imports.get(name);
      if (known?.source === file) continue;
      if (known !== undefined && !mayChangeImports(known.source.text, file.text)) {
        this.imports.set(name, { ...known, source: file });
        continue;
      }
      if (known !== undefined) this.unlink(name, known.targets);
      const targets = this.resolveImports(file);
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

  private unlink(importer: string, targets: readonly string[]): void {
    for (const target of targets) {
      const set = this.importers.get(target);
      set?.delete(importer);
      if (set?.size === 0) this.importers.delete(target);
    }
  }

  private resolveImports(file: ts.SourceFile): string[] {
    // `require` calls count too: JavaScript projects import that way.
    const { importedFiles } = ts.preProcessFile(file.text, true, true);
    return importedFiles.map(({ fileName }) => this.resolve(fileName, file.fileName)).filter((f): f is string => f !== undefined);
  }
}

/** Words an import, a re-export, a require or a reference directive is written with. */
const MODULE_SYNTAX = /\b(?:import|export|require|from)\b|\/\/\/\s*<reference/;

/**
 * Whether an edit from `before` to `after` can change what the file imports:
 * only when the lines it touched, before or after, hold module syntax. Typing
 * inside a function leaves the imports as they were, with no need to scan them again.
 */
function mayChangeImports(before: string, after: string): boolean {
  const { start, oldEnd, newEnd } = textChange(before, after);
  const touchedLines = (text: string, end: number) => text.slice(text.lastIndexOf("\n", start - 1) + 1, lineEnd(text, end));
  return MODULE_SYNTAX.test(touchedLines(before, oldEnd)) || MODULE_SYNTAX.test(touchedLines(after, newEnd));
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end < 0 ? text.length : end;
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
