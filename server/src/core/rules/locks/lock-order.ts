// lock-order: two locks taken in opposite orders in two places of the
// project. A task in one place holds A and waits for B while a task in the
// other holds B and waits for A: both wait forever. The lock-order graph is a
// project-wide fact, so the two places may be in different files.
import * as path from "node:path";
import ts from "typescript";
import type { Rule, RuleContext } from "../../rule";
import { edgesIn, LOCK_ORDER, oppositeEdges } from "./order-graph";

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  return `${path.basename(file.fileName)}:${line}`;
}

export const lockOrder: Rule = {
  meta: {
    id: "lock-order",
    description: "Two locks are taken in opposite orders in two places, which can deadlock.",
    defaultSeverity: "warning",
    fixable: false,
    hazard: "locks",
    messages: {
      "opposite-order": {
        text: "{inner} is acquired here{through} while {outer} is held, but {elsewhere} acquires {outer} while holding {inner}: two tasks doing both can each wait for the other forever. Take the two locks in the same order everywhere.",
        why: "two tasks doing both can each wait for the other forever",
        action: "Take the two locks in the same order everywhere",
      },
    },
  },
  check(file: ts.SourceFile, context: RuleContext): void {
    const graph = context.facts.get(LOCK_ORDER);
    for (const edge of edgesIn(graph, file)) {
      const opposite = oppositeEdges(graph, edge);
      if (opposite.length === 0) continue;
      const a = edge.outer.lock.label;
      const b = edge.inner.lock.label;
      const through = edge.chain.length > 0 ? ` (through ${edge.chain.map((c) => `${c.expression.getText()}()`).join(" → ")})` : "";
      context.report({
        node: edge.site,
        messageId: "opposite-order",
        data: { inner: b, outer: a, through, elsewhere: where(opposite[0].site) },
        related: [
          { node: edge.outer.anchor, message: `${a} is held from here` },
          ...opposite.flatMap((o) => [
            { node: o.site, message: `${a} is acquired here while ${b} is held` },
            { node: o.outer.anchor, message: `${b} is held from here` },
          ]),
        ],
      });
    }
  },
};
