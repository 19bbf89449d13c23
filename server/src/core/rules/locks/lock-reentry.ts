// lock-reentry: a lock that is not reentrant, acquired again while the same
// path already holds it, directly or inside a project function the critical
// section waits on. The second acquire waits for the first release, which
// waits for the second acquire: the task deadlocks forever.
import ts from "typescript";
import type { Rule, RuleContext } from "../../rule";
import { reachedAcquisitions, type Reached } from "./reach";
import { fileLocks, type CriticalSection } from "./sections";

function lineOf(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

function sameLock(section: CriticalSection, reached: Reached): boolean {
  const inner = reached.acquisition.lock;
  const outer = section.acquisition.lock;
  // Through a call, only a lock named the same way everywhere (a field of `this`, a module variable, a literal name) is surely the same.
  return inner.key === outer.key && (reached.chain.length === 0 || inner.global);
}

export const lockReentry: Rule = {
  meta: {
    id: "lock-reentry",
    description: "A non-reentrant lock is acquired again while the same path holds it, which deadlocks.",
    defaultSeverity: "error",
    fixable: false,
    hazard: "locks",
    messages: {
      reacquired: {
        text: "{lock} is acquired again{through} while this path already holds it (acquired at line {line}); it is not reentrant, so the second acquire waits for a release that never comes and the task deadlocks. Release it first, or call a variant of the function that expects the lock to be held.",
        why: "it is not reentrant, so the second acquire waits for a release that never comes and the task deadlocks",
        action: "Release it first, or call a variant of the function that expects the lock to be held",
      },
    },
  },
  check(file: ts.SourceFile, context: RuleContext): void {
    for (const section of fileLocks(context.facts, file).sections) {
      const outer = section.acquisition;
      if (outer.reentrant || outer.sync) continue;
      const again = reachedAcquisitions(context.facts, section).filter((r) => sameLock(section, r));
      for (const r of again) {
        const node = r.chain[0] ?? r.acquisition.anchor;
        const through = r.chain.length > 0 ? ` through ${r.chain.map((c) => `${c.expression.getText()}()`).join(" → ")}` : "";
        context.report({
          node,
          messageId: "reacquired",
          data: { lock: outer.lock.label, through, line: String(lineOf(outer.anchor)) },
          related: [
            { node: outer.anchor, message: `${outer.lock.label} is first acquired here` },
            ...r.chain.slice(1).map((c) => ({ node: c, message: `calls ${c.expression.getText()}()` })),
            ...(r.chain.length > 0 ? [{ node: r.acquisition.anchor, message: `${outer.lock.label} is acquired again here` }] : []),
          ],
        });
      }
    }
  },
};
