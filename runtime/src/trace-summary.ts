// The human summary of a trace: the worst blocks by site (the line that was
// running when the loop stalled) with the program's own frames that led
// there, how the blocks were placed, event-loop health, the warnings, and
// what was sampled or lost. Several runs appended to one file are told apart
// by process: each has its own section, headed by its pid, start time and command.
import * as path from "node:path";
import type { BlockEvent, CountsEvent, KeyframeEvent, LoopEvent, StackFrame, WarningEvent } from "./protocol";
import type { Trace } from "./trace-reader";
import { formatSite } from "./worker/warnings";
import { RoutePlaces, routeOf } from "./block-places";

export interface BlockSite {
  site: string;
  count: number;
  totalMs: number;
  maxMs: number;
  /** The program's own frames of one of its blocks, innermost first ("file:line fn"); empty without a stack. */
  chain: string[];
}

const WARNINGS_PER_CHECK = 10;
const CHAIN_FRAMES = 8;
const ms = (n: number) => `${Math.round(n)} ms`;
const shortPath = (file: string) => {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
};

/** This runtime's own files (its require hook sits under every module load). */
const RUNTIME_DIR = __dirname + path.sep;

/** The frames of the program itself: Node's internals, installed packages and this runtime are folded away. */
export function ownChain(stack: StackFrame[]): string[] {
  return stack
    .filter((f) => f.file !== "" && !f.file.startsWith("node:") && !f.file.includes(`${path.sep}node_modules${path.sep}`) && !f.file.startsWith(RUNTIME_DIR))
    .slice(0, CHAIN_FRAMES)
    .map((f) => `${shortPath(f.file)}:${f.line}${f.fn ? ` ${f.fn}` : ""}`);
}

/**
 * Places what can be placed by route with the whole trace in view (the
 * collector only knew the blocks before each one), leaving the events as they were.
 */
export function placeBlocks(blocks: BlockEvent[]): BlockEvent[] {
  const routes = new RoutePlaces();
  for (const b of blocks) routes.learn(b);
  return blocks.map((b) => {
    const placed = { ...b };
    routes.place(placed);
    return placed;
  });
}

const blockSite = (b: BlockEvent) => (b.site ? formatSite(b.site) : b.request !== undefined ? `${routeOf(b)} (request, no line)` : formatSite(undefined));

export function worstBlocks(blocks: BlockEvent[], limit = 10): BlockSite[] {
  const bySite = new Map<string, BlockSite>();
  for (const b of blocks) {
    const site = blockSite(b);
    const entry = bySite.get(site) ?? { site, count: 0, totalMs: 0, maxMs: 0, chain: [] };
    entry.count++;
    entry.totalMs += b.dur;
    entry.maxMs = Math.max(entry.maxMs, b.dur);
    if (entry.chain.length === 0) entry.chain = ownChain(b.stack);
    bySite.set(site, entry);
  }
  return [...bySite.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, limit);
}

function placements(blocks: BlockEvent[]): string {
  const by = (placedBy: BlockEvent["placedBy"]) => blocks.filter((b) => b.placedBy === placedBy).length;
  return `placed by stack ${by("stack")}, by task ${by("task")}, not placed ${by(undefined)}`;
}

function loopHealth(loops: LoopEvent[]): string {
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  const utilization = loops.map((l) => l.utilization);
  // The middle window: a loop-health figure for a typical second, not an interpolated one.
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return (
    `  event loop (${loops.length} windows): utilisation mean ${pct(utilization.reduce((a, b) => a + b, 0) / loops.length)}, max ${pct(Math.max(...utilization))}; ` +
    `delay p50 ${median(loops.map((l) => l.delay.p50)).toFixed(1)} ms, p90 ${median(loops.map((l) => l.delay.p90)).toFixed(1)} ms, p99 ${median(loops.map((l) => l.delay.p99)).toFixed(1)} ms (median window), ` +
    `worst p99 ${Math.max(...loops.map((l) => l.delay.p99)).toFixed(1)} ms, max ${Math.max(...loops.map((l) => l.delay.max)).toFixed(1)} ms`
  );
}

export function summarize(trace: Trace): string {
  const lines: string[] = [];
  for (const p of trace.processes) {
    const blocks = placeBlocks(p.events.filter((e): e is BlockEvent => e.type === "block"));
    const warnings = p.events.filter((e): e is WarningEvent => e.type === "warning");
    const loops = p.events.filter((e): e is LoopEvent => e.type === "loop");
    const counts = p.events.filter((e): e is CountsEvent => e.type === "counts").at(-1);
    const started = p.info ? ` started ${new Date(p.info.timeOrigin).toISOString()}` : "";
    lines.push(`process ${p.pid}${p.threadId ? ` thread ${p.threadId}` : ""}${started}: ${p.info?.argv.slice(1).join(" ") ?? "?"}`);
    if (counts) {
      lines.push(`  roots: ${counts.rootsSeen} seen, ${counts.rootsSampled} recorded; dropped: ${counts.dropped.ring} ring, ${counts.dropped.file} file, ${counts.dropped.socket} socket`);
    }
    if (loops.length > 0) lines.push(loopHealth(loops));
    lines.push(blocks.length === 0 ? "  no blocks" : `  worst blocks (${blocks.length}; ${placements(blocks)}):`);
    for (const b of worstBlocks(blocks)) {
      lines.push(`    ${b.site}  ${b.count}× total ${ms(b.totalMs)} max ${ms(b.maxMs)}`);
      if (b.chain.length > 0) lines.push(`      ${b.chain.join(" ← ")}`);
    }
    lines.push(warnings.length === 0 ? "  no warnings" : `  warnings (${warnings.length}):`);
    const byCheck = new Map<string, WarningEvent[]>();
    for (const w of warnings) {
      const list = byCheck.get(w.check);
      if (list) list.push(w);
      else byCheck.set(w.check, [w]);
    }
    for (const [check, list] of byCheck) {
      for (const w of list.slice(0, WARNINGS_PER_CHECK)) lines.push(`    [${check}] ${w.message}`);
      if (list.length > WARNINGS_PER_CHECK) lines.push(`    [${check}] … and ${list.length - WARNINGS_PER_CHECK} more`);
    }
    const last = p.events.filter((e): e is KeyframeEvent => e.type === "keyframe").at(-1);
    if (last && last.openTasks.length + last.openTasksOmitted > 0) {
      lines.push(`  still pending at the last keyframe: ${last.openTasks.length + last.openTasksOmitted} task(s)`);
    }
  }
  if (trace.truncated) lines.push("trace ends mid-record (the process was killed); read up to its last complete record");
  if (trace.rejected > 0) lines.push(`${trace.rejected} invalid record(s) skipped`);
  return lines.join("\n");
}
