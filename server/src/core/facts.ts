import type ts from "typescript";
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
  ) {}

  get<T>(key: FactKey<T>): T {
    if (!this.cache.has(key)) this.cache.set(key, key.compute(this));
    return this.cache.get(key) as T;
  }
}
