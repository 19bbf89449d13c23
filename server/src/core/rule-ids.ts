// Rule ids as users meet them: listed in --help, and an unknown one (a typo in
// --rule, the configuration or an editor setting) named with the closest known
// id, as git and npm suggest a mistyped command.
import { RULES } from "./rules";

/** Every id a severity can be set for. */
export function knownRuleIds(): string[] {
  return RULES.map((r) => r.meta.id);
}

/** Rule ids that no rule has: reported so typos are visible. */
export function unknownRuleIds(ids: Iterable<string>): string[] {
  const known = new Set(knownRuleIds());
  return [...ids].filter((id) => !known.has(id));
}

/** Edits (insert, delete, replace one character) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known rule id closest to `id`, when it is close enough to be the one meant. */
export function closestRuleId(id: string): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const known of knownRuleIds()) {
    const distance = editDistance(id.toLowerCase(), known);
    if (best === undefined || distance < best.distance) best = { id: known, distance };
  }
  // A third of the length: "blocking-cal" and "lock-reentrancy" are typos, "foo" is not.
  return best !== undefined && best.distance <= Math.max(2, Math.floor(id.length / 3)) ? best.id : undefined;
}

/** "'blocking-cal' (did you mean 'blocking-call'?)" */
export function describeUnknownRule(id: string): string {
  const closest = closestRuleId(id);
  return closest === undefined ? `'${id}'` : `'${id}' (did you mean '${closest}'?)`;
}
