// The human summary of a trace: the worst blocks by site (the line that was
// running when the loop stalled), the warnings, and what was sampled or lost.
import type { BlockEvent, CountsEvent, KeyframeEvent, WarningEvent } from "./protocol";
import type { Trace } from "./trace-reader";
import { formatSite } from "./worker/warnings";

export interface BlockSite {
  site: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

export function worstBlocks(blocks: BlockEvent[], limit = 10): BlockSite[] {
  const bySite = new Map<string, BlockSite>();
  for (const b of blocks) {
    const site = formatSite(b.site);
    const entry = bySite.get(site) ?? { site, count: 0, totalMs: 0, maxMs: 0 };
    entry.count++;
    entry.totalMs += b.dur;
    entry.maxMs = Math.max(entry.maxMs, b.dur);
    bySite.set(site, entry);
  }
  return [...bySite.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, limit);
}

export function summarize(trace: Trace): string {
  const lines: string[] = [];
  const ms = (n: number) => `${Math.round(n)} ms`;
  const WARNINGS_PER_CHECK = 10;
  for (const p of trace.processes) {
    const blocks = p.events.filter((e): e is BlockEvent => e.type === "block");
    const warnings = p.events.filter((e): e is WarningEvent => e.type === "warning");
    const counts = p.events.filter((e): e is CountsEvent => e.type === "counts").at(-1);
    lines.push(`process ${p.pid}${p.threadId ? ` thread ${p.threadId}` : ""}: ${p.info?.argv.slice(1).join(" ") ?? "?"}`);
    if (counts) {
      lines.push(`  roots: ${counts.rootsSeen} seen, ${counts.rootsSampled} recorded; dropped: ${counts.dropped.ring} ring, ${counts.dropped.file} file, ${counts.dropped.socket} socket`);
    }
    lines.push(blocks.length === 0 ? "  no blocks" : `  worst blocks (${blocks.length}):`);
    for (const b of worstBlocks(blocks)) lines.push(`    ${b.site}  ${b.count}× total ${ms(b.totalMs)} max ${ms(b.maxMs)}`);
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
