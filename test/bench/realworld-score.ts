// Scores async-lens's findings on the real-world packages against the verdicts
// committed in realworld-verdicts.json. Precision counts real against false;
// debatable verdicts and findings nobody has judged are shown but not counted,
// so a new finding can never raise or lower the score until someone reads it.

export type Verdict = "real" | "false" | "debatable";

export interface JudgedFinding {
  package: string;
  file: string;
  line: number;
  rule: string;
  verdict: Verdict;
  reason: string;
}

export interface Miss {
  package: string;
  file: string;
  line: number;
  rule: string;
  reason: string;
}

export interface Verdicts {
  findings: JudgedFinding[];
  misses: Miss[];
}

/** One finding of `async-lens check --format json`, with the package it came from. */
export interface ReportedFinding {
  package: string;
  file: string;
  line: number;
  endLine: number;
  rule: string;
  severity: string;
  message: string;
  /** Where its related information points: for a blocking chain, each hop down to the blocking call. */
  related: { file: string; line: number }[];
}

export interface Tally {
  findings: number;
  real: number;
  false: number;
  debatable: number;
  unjudged: number;
}

export interface Score {
  byRule: Map<string, Tally>;
  all: Tally;
  /** Findings shown as warnings or errors: the ones that must be right 9 times in 10. */
  warnings: Tally;
  unjudged: ReportedFinding[];
  /** Judged findings the check no longer reports (fixed false alarms, or real ones lost). */
  gone: JudgedFinding[];
  found: Miss[];
  stillMissed: Miss[];
}

const VERDICTS: readonly string[] = ["real", "false", "debatable"];

/** Throws on a verdicts file that is not what the scorer expects, naming the entry. */
export function parseVerdicts(text: string): Verdicts {
  const data = JSON.parse(text) as Partial<Verdicts>;
  if (!Array.isArray(data.findings) || !Array.isArray(data.misses)) throw new Error("verdicts: expected arrays 'findings' and 'misses'");
  const seen = new Set<string>();
  for (const [i, f] of data.findings.entries()) {
    const where = `verdicts: findings[${i}]`;
    requireLocation(f, where);
    if (!VERDICTS.includes(f.verdict)) throw new Error(`${where}: verdict must be one of ${VERDICTS.join(", ")}`);
    if (typeof f.reason !== "string" || f.reason.trim() === "") throw new Error(`${where}: a verdict needs its reason`);
    const k = key(f);
    if (seen.has(k)) throw new Error(`${where}: ${k} is judged twice`);
    seen.add(k);
  }
  for (const [i, m] of data.misses.entries()) {
    requireLocation(m, `verdicts: misses[${i}]`);
    if (typeof m.reason !== "string" || m.reason.trim() === "") throw new Error(`verdicts: misses[${i}]: a miss needs its reason`);
  }
  return data as Verdicts;
}

function requireLocation(entry: Partial<Miss>, where: string): void {
  for (const field of ["package", "file", "rule"] as const) {
    if (typeof entry[field] !== "string" || entry[field] === "") throw new Error(`${where}: '${field}' must be a non-empty string`);
  }
  if (!Number.isInteger(entry.line) || entry.line! < 1) throw new Error(`${where}: 'line' must be a line number`);
}

const key = (f: { package: string; file: string; line: number; rule: string }) => `${f.package}/${f.file}:${f.line} [${f.rule}]`;

const emptyTally = (): Tally => ({ findings: 0, real: 0, false: 0, debatable: 0, unjudged: 0 });

export function precision(t: Tally): number | undefined {
  return t.real + t.false > 0 ? t.real / (t.real + t.false) : undefined;
}

export function score(reported: readonly ReportedFinding[], verdicts: Verdicts): Score {
  const judged = new Map(verdicts.findings.map((f) => [key(f), f]));
  const byRule = new Map<string, Tally>();
  const all = emptyTally();
  const warnings = emptyTally();
  const unjudged: ReportedFinding[] = [];
  const matched = new Set<string>();
  for (const finding of reported) {
    const verdict = judged.get(key(finding));
    if (verdict) matched.add(key(finding));
    else unjudged.push(finding);
    const tallies = [all, byRule.get(finding.rule) ?? byRule.set(finding.rule, emptyTally()).get(finding.rule)!];
    if (finding.severity === "warning" || finding.severity === "error") tallies.push(warnings);
    for (const t of tallies) {
      t.findings++;
      t[verdict ? verdict.verdict : "unjudged"]++;
    }
  }
  // A chain is reported where async code enters it, and its related locations lead to the blocking call read as the miss.
  const reports = (m: Miss) =>
    reported.some((f) => f.package === m.package && f.rule === m.rule && ((f.file === m.file && f.line <= m.line && m.line <= f.endLine) || f.related.some((r) => r.file === m.file && r.line === m.line)));
  return {
    byRule,
    all,
    warnings,
    unjudged,
    gone: verdicts.findings.filter((f) => !matched.has(key(f))),
    found: verdicts.misses.filter(reports),
    stillMissed: verdicts.misses.filter((m) => !reports(m)),
  };
}
