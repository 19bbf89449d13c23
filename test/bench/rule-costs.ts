// What each rule costs on a benchmark tree: loads the tree's program afresh
// for each rule (so no rule profits from the checker caches another one
// warmed) and times analyzeProgram restricted to that rule, after the shared
// cost of building the program and its checker. It also counts the rule's
// checker calls and the time spent inside them, by method, since resolving
// calls through the checker is what makes a rule slow.
//
//   node out/test/bench/rule-costs.js [tree id] [rule ids…]
import "../../server/src/core/load-typescript";
import * as path from "node:path";
import type ts from "typescript";
import { analyzeProgram } from "../../server/src/core/analyzer";
import { DEFAULT_CONFIG } from "../../server/src/core/config";
import { loadProject } from "../../server/src/core/project";
import { RULES } from "../../server/src/core/rules";
import { prepareTree } from "./cache";
import { REPO_ROOT } from "./tools";
import { TREES } from "./trees";

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

interface Tally {
  calls: number;
  seconds: number;
}

/** Wraps the program's checker so every method call is counted and timed. */
function countCheckerCalls(program: ts.Program): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const checker = program.getTypeChecker();
  const counted = new Proxy(checker, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || typeof key !== "string") return value;
      return (...args: unknown[]) => {
        const t = process.hrtime.bigint();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          const tally = tallies.get(key) ?? { calls: 0, seconds: 0 };
          tally.calls++;
          tally.seconds += seconds(t);
          tallies.set(key, tally);
        }
      };
    },
  });
  program.getTypeChecker = () => counted;
  return tallies;
}

function timedLoad(dir: string) {
  let t = process.hrtime.bigint();
  const project = loadProject({ paths: ["."], cwd: dir });
  const load = seconds(t);
  t = process.hrtime.bigint();
  project.program.getTypeChecker();
  return { project, load, checker: seconds(t) };
}

const write = (line: string) => process.stdout.write(`${line}\n`);

function main(): void {
  const [treeId = "mongodb", ...ruleIds] = process.argv.slice(2);
  const tree = TREES.find((t) => t.id === treeId);
  if (!tree) throw new Error(`unknown tree ${treeId}; one of ${TREES.map((t) => t.id).join(", ")}`);
  const prepared = prepareTree(tree, path.join(REPO_ROOT, ".bench-cache"), write);
  const rules = ruleIds.length > 0 ? ruleIds : RULES.map((r) => r.meta.id);
  write(`${tree.packageName}@${tree.version}: ${prepared.files.length} files, ${prepared.lines} lines`);
  write(`${"rule".padEnd(24)}${"load s".padStart(8)}${"checker s".padStart(11)}${"rule s".padStart(9)}${"in checker s".padStart(14)}${"calls".padStart(8)}${"findings".padStart(10)}`);
  for (const only of [...rules.map((r) => [r]), RULES.map((r) => r.meta.id)]) {
    const { project, load, checker } = timedLoad(prepared.dir);
    const tallies = countCheckerCalls(project.program);
    const t = process.hrtime.bigint();
    const result = analyzeProgram(project.program, project.files, { config: DEFAULT_CONFIG, root: project.root, only });
    const ruleSeconds = seconds(t);
    const all = [...tallies.values()].reduce((sum, x) => ({ calls: sum.calls + x.calls, seconds: sum.seconds + x.seconds }), { calls: 0, seconds: 0 });
    const label = only.length === 1 ? only[0] : `all ${only.length} rules`;
    write(
      `${label.padEnd(24)}${load.toFixed(2).padStart(8)}${checker.toFixed(2).padStart(11)}${ruleSeconds.toFixed(2).padStart(9)}${all.seconds.toFixed(2).padStart(14)}${String(all.calls).padStart(8)}${String(result.findings.length).padStart(10)}`,
    );
    const methods = [...tallies].sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 4);
    if (methods.length > 0) write(`    ${methods.map(([m, x]) => `${m} ${x.calls}× ${x.seconds.toFixed(2)} s`).join(", ")}`);
    for (const p of result.problems.slice(0, 3)) write(`    problem: ${p.message}`);
  }
}

main();
