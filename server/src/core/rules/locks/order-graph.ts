// The project-wide lock-order graph: an edge A → B for each place where lock
// B is waited for while A is held (directly, or in an awaited project
// function). Two edges in opposite directions are two tasks that can each
// hold one lock and wait for the other.
import type * as ts from "typescript";
import type { FactKey, ProjectFacts } from "../../facts";
import type { Acquisition } from "./detect";
import { reachedAcquisitions } from "./reach";
import { fileLocks } from "./sections";

export interface OrderEdge {
  outer: Acquisition;
  inner: Acquisition;
  /** Where the section reaches the inner lock: the inner acquire, or the call that leads to it. */
  site: ts.Node;
  chain: ts.CallExpression[];
}

export interface LockOrderGraph {
  /** Edges by `outerKey → innerKey`. */
  edges: Map<string, OrderEdge[]>;
}

function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** Only exclusive locks named the same way everywhere take part: counting, failing-fast and local locks cannot be compared. */
function comparable(a: Acquisition): boolean {
  return a.lock.global && !a.reentrant && !a.sync;
}

export const LOCK_ORDER: FactKey<LockOrderGraph> = {
  name: "lock-order-graph",
  compute(facts: ProjectFacts): LockOrderGraph {
    const edges = new Map<string, OrderEdge[]>();
    for (const file of facts.files) {
      for (const edge of facts.perFile("lock-order-edges", file, () => edgesFrom(facts, file))) {
        const key = edgeKey(edge.outer.lock.key, edge.inner.lock.key);
        const list = edges.get(key) ?? [];
        list.push(edge);
        edges.set(key, list);
      }
    }
    return { edges };
  },
};

/** The edges of the sections that start in `file`. */
function edgesFrom(facts: ProjectFacts, file: ts.SourceFile): OrderEdge[] {
  const out: OrderEdge[] = [];
  for (const section of fileLocks(facts, file).sections) {
    const outer = section.acquisition;
    if (!comparable(outer)) continue;
    for (const r of reachedAcquisitions(facts, section)) {
      const inner = r.acquisition;
      if (!comparable(inner) || inner.lock.key === outer.lock.key) continue;
      out.push({ outer, inner, site: r.chain[0] ?? inner.anchor, chain: r.chain });
    }
  }
  return out;
}

/** The edges that take the same two locks the other way round. */
export function oppositeEdges(graph: LockOrderGraph, edge: OrderEdge): OrderEdge[] {
  return (graph.edges.get(edgeKey(edge.inner.lock.key, edge.outer.lock.key)) ?? []).filter((e) => e.site !== edge.site);
}

/** The edges whose site is in `file`. */
export function edgesIn(graph: LockOrderGraph, file: ts.SourceFile): OrderEdge[] {
  return [...graph.edges.values()].flat().filter((e) => e.site.getSourceFile() === file);
}
