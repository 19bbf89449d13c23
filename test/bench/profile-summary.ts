// Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most
// self time, and the functions of Async Lens's own code with the most total
// (inclusive) time, which is where the analysis spends the checker's effort.
//
//   node out/test/bench/profile-summary.js FILE.cpuprofile [top N]
import * as fs from "node:fs";
import * as path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function frameKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? path.basename(url.replace(/^file:\/\//, "")) : "";
  return `${functionName || "(anonymous)"} ${file}${file ? `:${lineNumber + 1}` : ""}`;
}

function isOwnCode(node: ProfileNode): boolean {
  return /\/out\/server\//.test(node.callFrame.url);
}

function summarise(profile: Profile, top: number): string {
  // Time per sample: the delta that follows it.
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const own = new Map<string, boolean>();

  // Inclusive time counts a function once per stack, so recursion is not double-counted.
  const visit = (id: number, onStack: Map<string, number>): number => {
    const node = byId.get(id)!;
    const key = frameKey(node);
    own.set(key, isOwnCode(node));
    const mine = selfMicros.get(id) ?? 0;
    self.set(key, (self.get(key) ?? 0) + mine);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    let sum = mine;
    for (const child of node.children ?? []) sum += visit(child, onStack);
    const depth = onStack.get(key)! - 1;
    if (depth === 0) {
      onStack.delete(key);
      total.set(key, (total.get(key) ?? 0) + sum);
    } else {
      onStack.set(key, depth);
    }
    return sum;
  };
  let all = 0;
  for (const root of profile.nodes.filter((n) => !childIds.has(n.id))) all += visit(root.id, new Map());

  const ms = (micros: number) => `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / all).toFixed(1).padStart(5)}%`;
  const rank = (m: Map<string, number>, keep: (key: string) => boolean) =>
    [...m]
      .filter(([key]) => keep(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, micros]) => `  ${ms(micros)}  ${key}`);
  return [
    `profile: ${(all / 1e6).toFixed(2)} s sampled`,
    `self time, top ${top}:`,
    ...rank(self, () => true),
    `total time of Async Lens's own functions, top ${top}:`,
    ...rank(total, (key) => own.get(key) === true),
  ].join("\n");
}

const [file, top = "30"] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: profile-summary.js FILE.cpuprofile [top N]\n");
  process.exitCode = 2;
} else {
  process.stdout.write(`${summarise(JSON.parse(fs.readFileSync(file, "utf8")) as Profile, Number(top))}\n`);
}
