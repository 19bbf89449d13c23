// What a run found, per source line, for the editor to show as diagnostics
// ("blocked the event loop 120 ms, 14 times, in the last run"). No vscode
// import: the extension turns these into diagnostics, tests read them as is.
// Blocks are counted from the block events themselves (each carries its
// duration); other warnings by their check and line.
import type { BatchMessage, Site, WarningCheck } from "../../../runtime/src/protocol";
import { isOpenable } from "./source-files";

export interface RuntimeFinding {
  file: string;
  line: number;
  column: number;
  check: WarningCheck;
  count: number;
  /** For blocks: the longest and the sum of their durations, in ms. */
  longestMs?: number;
  totalMs?: number;
  /** The runtime's latest message for this check at this line (not for blocks). */
  latest?: string;
}

const inEditor = (site: Site | undefined): site is Site => site !== undefined && isOpenable(site.file);

const round = (ms: number) => (ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10);

export function findingMessage(f: RuntimeFinding): string {
  const times = `${f.count} ${f.count === 1 ? "time" : "times"}`;
  if (f.check === "block") return `Blocked the event loop ${round(f.longestMs ?? 0)} ms, ${times}, in the last run (${round(f.totalMs ?? 0)} ms in all).`;
  return `${f.latest ?? f.check} (${times} in the last run)`;
}

export class RuntimeFindings {
  private readonly byLine = new Map<string, RuntimeFinding>();

  add(batch: BatchMessage): void {
    for (const e of batch.events) {
      if (e.type === "block" && inEditor(e.site)) {
        const f = this.at(e.site, "block");
        f.longestMs = Math.max(f.longestMs ?? 0, e.dur);
        f.totalMs = (f.totalMs ?? 0) + e.dur;
      } else if (e.type === "warning" && e.check !== "block" && inEditor(e.site)) {
        // Block warnings repeat the block events counted above.
        this.at(e.site, e.check).latest = e.message;
      }
    }
  }

  list(): RuntimeFinding[] {
    return [...this.byLine.values()];
  }

  clear(): void {
    this.byLine.clear();
  }

  private at(site: Site, check: WarningCheck): RuntimeFinding {
    const key = `${check}\n${site.file}\n${site.line}`;
    let f = this.byLine.get(key);
    if (!f) this.byLine.set(key, (f = { file: site.file, line: site.line, column: site.column, check, count: 0 }));
    f.count++;
    return f;
  }
}
