import type * as ts from "typescript";
import type { Catalogue } from "./catalogue";

/**
 * A fact about the whole project (a call graph, the lock-order graph),
 * computed at most once per analysis and shared by every rule that needs it.
 * Each fact lives beside the rule or helper that defines it.
 */
export interface FactKey<T> {
  readonly name: string;
  compute(facts: ProjectFacts): T;
}

export class ProjectFacts {
  private readonly cache = new Map<FactKey<unknown>, unknown>();

  constructor(
    readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
    /** The files being analysed (project sources, not libraries). */
    readonly files: readonly ts.SourceFile[],
    readonly catalogue: Catalogue,
    readonly chainDepth: number,
    /** Per-file facts kept from the analysis of an earlier program of the same project. */
    private readonly carried?: CarriedFacts,
  ) {}

  get<T>(key: FactKey<T>): T {
    if (!this.cache.has(key)) this.cache.set(key, key.compute(this));
    return this.cache.get(key) as T;
  }

  /** A per-file part of a project-wide fact, reused from an earlier analysis while still valid. */
  perFile<T>(kind: string, file: ts.SourceFile, compute: () => T): T {
    return this.carried === undefined ? compute() : this.carried.get(kind, file, compute);
  }
}

/**
 * Per-file facts carried from one analysis to the next, as the language server
 * re-analyses after each edit. They are keyed by file name and held with the
 * SourceFile they were computed on: while the program hands out the same
 * SourceFile object the text is unchanged, so every node (and declaration
 * position) the fact holds is still the program's own. A fact can also depend
 * on other files (a lock taken in an imported helper); the caller marks the
 * files whose dependencies changed as stale before the next analysis. Nothing
 * here holds a symbol or type, which belong to one checker.
 */
export class CarriedFacts {
  private readonly entries = new Map<string, Map<string, { source: ts.SourceFile; value: unknown }>>();

  get<T>(kind: string, file: ts.SourceFile, compute: () => T): T {
    let byFile = this.entries.get(kind);
    if (byFile === undefined) this.entries.set(kind, (byFile = new Map()));
    const entry = byFile.get(file.fileName);
    if (entry !== undefined && entry.source === file) return entry.value as T;
    const value = compute();
    byFile.set(file.fileName, { source: file, value });
    return value;
  }

  /** Forgets the facts of these files (their text, or a file they depend on, changed). */
  markStale(fileNames: Iterable<string>): void {
    const names = [...fileNames];
    for (const byFile of this.entries.values()) for (const name of names) byFile.delete(name);
  }

  clear(): void {
    this.entries.clear();
  }
}
