// lock-across-await: a critical section that awaits slow work which does not
// need the lock (a network call, a sleep, a child process, another lock), so
// every other caller of the lock waits for that work too. Modelled on Clippy's
// `await_holding_lock`, narrowed to what hurts: async locks are meant to be
// held across the awaits that touch what they guard. A synchronous lock held
// across any await is always reported.
import ts from "typescript";
import type { ReportMessage, Rule, RuleContext } from "../../rule";
import type { Acquisition } from "./detect";
import { needsLock, sectionState } from "./guarded-state";
import { fileLocks, heldAwaits, isWaitedFor, type CriticalSection } from "./sections";
import { slowOperand, type SlowWork } from "./slow-work";
import { skipOuterExpressions } from "../../symbols";

interface SlowAwait {
  node: ts.Node;
  /** What is awaited, for the message: "network request fetch()". */
  what: string;
  /** Related-information text. */
  description: string;
}

function lineOf(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

/** Slow work that a lock guarding an external resource is taken for: the file or record it protects. */
function guardedByResource(a: Acquisition, work: SlowWork): boolean {
  return a.guards !== "memory" && work.kind !== "timer";
}

/** A nested lock acquisition waited for inside the section. */
function nestedLock(ctx: RuleContext, section: CriticalSection, awaited: ts.AwaitExpression): Acquisition | undefined {
  let e = skipOuterExpressions(awaited.expression);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(then|catch|finally)$/.test(e.expression.name.text)) e = skipOuterExpressions(e.expression.expression);
  if (!ts.isCallExpression(e) || e === section.acquisition.call) return undefined;
  const inner = fileLocks(ctx.facts, awaited.getSourceFile()).acquisitions.find((a) => a.call === e);
  if (!inner || inner.lock.key === section.acquisition.lock.key || !isWaitedFor(inner.call)) return undefined;
  return inner;
}

function slowAwaitsOf(ctx: RuleContext, section: CriticalSection): SlowAwait[] {
  const awaits = heldAwaits(section);
  const a = section.acquisition;
  if (a.sync) return awaits.map((w) => ({ node: w, what: "an await", description: `await while the synchronous lock ${a.lock.label} is held` }));
  const state = sectionState(section);
  const found: (SlowAwait & { node: ts.AwaitExpression })[] = [];
  // Work done while a nested lock is also held needs both locks: it is not the outer lock's own work.
  const nested: { start: number; end: number }[] = [];
  // The lock guards memory when the section changes memory; otherwise it guards the I/O it does, and that I/O needs it.
  const memoryWork: ts.Node[] = [...state.work];
  for (const w of awaits) {
    const lock = nestedLock(ctx, section, w);
    if (lock) {
      const inner = fileLocks(ctx.facts, w.getSourceFile()).sections.find((s) => s.acquisition === lock);
      if (inner) nested.push({ start: inner.start, end: inner.end });
      found.push({ node: w, what: `another lock, ${lock.lock.label}`, description: `waits for another lock, ${lock.lock.label}, while holding ${a.lock.label}` });
      continue;
    }
    const work = slowOperand(ctx, w.expression);
    if (!work || guardedByResource(a, work) || needsLock(section, state, w)) continue;
    const via = work.chain.length > 0 ? ` (through ${work.chain.map((c) => `${c.expression.getText()}()`).join(" → ")})` : "";
    found.push({ node: w, what: work.what, description: `awaits ${work.what}${via} while holding ${a.lock.label}` });
  }
  // A section that only does I/O is serialising that I/O on purpose: the lock is there for it.
  const guardsMemory = memoryWork.some((n) => !found.some((f) => n.pos >= f.node.pos && n.end <= f.node.end) && !nested.some((r) => n.pos >= r.start && n.end <= r.end));
  return guardsMemory ? found : [];
}

function message(a: Acquisition, awaits: SlowAwait[]): ReportMessage {
  if (a.sync) return { messageId: "sync-lock", data: { lock: a.lock.label, line: String(lineOf(awaits[0].node)) } };
  const first = awaits[0];
  const more = awaits.length > 1 ? ` and ${awaits.length - 1} more` : "";
  return { messageId: "slow-await", data: { lock: a.lock.label, work: first.what, line: String(lineOf(first.node)), more } };
}

export const lockAcrossAwait: Rule = {
  meta: {
    id: "lock-across-await",
    description: "A lock is held across slow awaits (network, timers, child processes, another lock) that do not need it.",
    defaultSeverity: "warning",
    fixable: false,
    hazard: "locks",
    messages: {
      "sync-lock": {
        text: "Synchronous lock {lock} is held across an await (line {line}): it blocks the thread, or any other thread, until this task resumes. Release it before awaiting, or use an async lock.",
        why: "it blocks the thread, or any other thread, until this task resumes",
        action: "Release it before awaiting, or use an async lock",
      },
      "slow-await": {
        text: "Lock {lock} is held while awaiting {work} (line {line}{more}), slow work that does not need the lock: every other caller waits for it too. Do the slow work before acquiring the lock or after releasing it.",
        why: "every other caller waits for it too",
        action: "Do the slow work before acquiring the lock or after releasing it",
      },
    },
  },
  check(file: ts.SourceFile, context: RuleContext): void {
    const { sections } = fileLocks(context.facts, file);
    if (sections.length === 0) return;
    for (const section of sections) {
      if (section.escapes || section.acquisition.counting) continue;
      const awaits = slowAwaitsOf(context, section);
      if (awaits.length === 0) continue;
      context.report({
        node: section.acquisition.anchor,
        ...message(section.acquisition, awaits),
        related: awaits.map((w) => ({ node: w.node, message: w.description })),
      });
    }
  },
};
