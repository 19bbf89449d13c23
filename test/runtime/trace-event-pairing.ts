// A strict reading of the Trace Event format's pairing rules, as Perfetto
// applies them: an async end ("e") closes the open begin ("b") with the same
// category, id and name, and every begin is closed; complete events ("X") on
// one thread nest (a slice that starts inside another ends inside it too).
// No package on the registry checks these (chrome-trace sums category times,
// @tracerbench/trace-model builds a tree without rejecting anything), hence this.
import type { ChromeEvent } from "../../runtime/src/chrome-trace";

export function pairingProblems(events: ChromeEvent[]): string[] {
  const problems: string[] = [];
  const open = new Map<string, ChromeEvent>();
  const slices = new Map<string, ChromeEvent[]>();
  for (const e of events) {
    if (!Number.isInteger(e.ts) || e.ts < 0 || !Number.isInteger(e.pid) || !Number.isInteger(e.tid)) problems.push(`bad ts/pid/tid: ${JSON.stringify(e)}`);
    if (e.ph === "b" || e.ph === "e") {
      if (typeof e.cat !== "string" || typeof e.id !== "string") {
        problems.push(`async event without cat or id: ${JSON.stringify(e)}`);
        continue;
      }
      const key = `${e.cat}\u0000${e.id}`;
      const begun = open.get(key);
      if (e.ph === "b") {
        if (begun) problems.push(`begun twice: ${JSON.stringify(e)}`);
        open.set(key, e);
      } else if (!begun) problems.push(`end without a begin of the same cat and id: ${JSON.stringify(e)}`);
      else {
        if (begun.name !== e.name) problems.push(`end named ${JSON.stringify(e.name)} closes a begin named ${JSON.stringify(begun.name)}`);
        if (e.ts < begun.ts) problems.push(`end before its begin: ${JSON.stringify(e)}`);
        open.delete(key);
      }
    } else if (e.ph === "X") {
      if (!Number.isInteger(e.dur) || e.dur! <= 0) problems.push(`complete event without a positive whole duration: ${JSON.stringify(e)}`);
      const track = `${e.pid}/${e.tid}`;
      const list = slices.get(track) ?? [];
      list.push(e);
      slices.set(track, list);
    }
  }
  for (const b of open.values()) problems.push(`never ended: ${JSON.stringify(b)}`);
  for (const list of slices.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: ChromeEvent[] = [];
    for (const e of list) {
      while (stack.length > 0 && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent && e.ts + e.dur! > parent.ts + parent.dur!) problems.push(`overlaps without nesting: ${JSON.stringify(parent)} and ${JSON.stringify(e)}`);
      stack.push(e);
    }
  }
  return problems;
}
