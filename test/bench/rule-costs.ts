// What each rule costs on a benchmark tree: loads the tree's program afresh
// for each rule (so no rule profits from the checker caches another one
// warmed) and times analyzeProgram restricted to that rule, after the shared
// cost of building the program and its checker.
//
//   node out/test/bench/rule-costs.js [tree id] [rule ids…]
import * as path from "node:path";
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

function timedLoad(dir: string) {
  let t = process.hrtime.bigint();
  const project = loadProject({ paths: ["."], cwd: dir });
  const load = seconds(t);
  t = process.hrtime.bigint();
  project.program.getTypeChecker();
  return { project, load, checker: seconds(t) };
}

function main(): void {
  const [treeId = "mongodb", ...ruleIds] = process.argv.slice(2);
  const tree = TREES.find((t) => t.id === treeId);
  if (!tree) throw new Error(`unknown tree ${treeId}; one of ${TREES.map((t) => t.id).join(", ")}`);
  const prepared = prepareTree(tree, path.join(REPO_ROOT, ".bench-cache"), (line) => process.stdout.write(`${line}\n`));
  const rules = ruleIds.length > 0 ? ruleIds : RULES.map((r) => r.meta.id);
  process.stdout.write(`${tree.packageName}@${tree.version}: ${prepared.files.length} files, ${prepared.lines} lines\n`);
  process.stdout.write(`${"rule".padEnd(24)}${"load s".padStart(8)}${"checker s".padStart(11)}${"rule s".padStart(9)}${"findings".padStart(10)}${"problems".padStart(10)}\n`);
  for (const only of [...rules.map((r) => [r]), RULES.map((r) => r.meta.id)]) {
    const { project, load, checker } = timedLoad(prepared.dir);
    const t = process.hrtime.bigint();
    const result = analyzeProgram(project.program, project.files, { config: DEFAULT_CONFIG, root: project.root, only });
    const label = only.length === 1 ? only[0] : `all ${only.length} rules`;
    process.stdout.write(
      `${label.padEnd(24)}${load.toFixed(2).padStart(8)}${checker.toFixed(2).padStart(11)}${seconds(t).toFixed(2).padStart(9)}${String(result.findings.length).padStart(10)}${String(result.problems.length).padStart(10)}\n`,
    );
    for (const p of result.problems.slice(0, 3)) process.stdout.write(`    problem: ${p.message}\n`);
  }
}

main();
