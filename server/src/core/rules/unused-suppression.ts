// Reports an async-lens-ignore directive that suppresses nothing, with a fix
// that removes it. Runs after the other rules, once their findings in the file
// have been matched against the directives.
import type ts from "typescript";
import type { Rule, RuleContext, SuppressionState } from "../rule";
import type { Suppression } from "../suppressions";

export interface UnusedSuppression {
  directive: Suppression;
  messageId: "unknown-rule" | "suppresses-nothing";
  data: { rules: string };
}

/**
 * The directives that covered nothing. Only rules that ran can make a directive
 * used, so a directive naming a disabled rule is not unused; one naming a rule
 * that does not exist (a typo) always is, since it can never suppress anything.
 */
export function unusedSuppressions(state: SuppressionState): UnusedSuppression[] {
  const out: UnusedSuppression[] = [];
  for (const s of state.directives) {
    const unknown = s.rules.filter((r) => !state.knownRules.has(r));
    if (s.used || (unknown.length === 0 && s.rules.length > 0 && !s.rules.some((r) => state.rulesRun.has(r)))) continue;
    if (unknown.length > 0) out.push({ directive: s, messageId: "unknown-rule", data: { rules: unknown.join(", ") } });
    else out.push({ directive: s, messageId: "suppresses-nothing", data: { rules: s.rules.length > 0 ? ` (${s.rules.join(", ")})` : "" } });
  }
  return out;
}

export const unusedSuppression: Rule = {
  meta: {
    id: "unused-suppression",
    description: "An async-lens-ignore comment that suppresses nothing.",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      "unknown-rule": {
        text: "This async-lens-ignore directive names no known rule as {rules}, so it suppresses nothing; correct the rule id or remove the directive.",
        why: "so it suppresses nothing",
        action: "correct the rule id or remove the directive",
      },
      "suppresses-nothing": {
        text: "This async-lens-ignore directive suppresses nothing{rules}; remove it so it does not hide a future finding.",
        why: "so it does not hide a future finding",
        action: "remove it",
      },
    },
    afterSuppressions: true,
  },
  check(file: ts.SourceFile, context: RuleContext): void {
    for (const { directive, messageId, data } of unusedSuppressions(context.suppressions)) {
      context.report({
        file,
        range: directive.range,
        messageId,
        data,
        fixes: [{ title: "Remove the unused async-lens-ignore directive", edits: [directive.removal], isPreferred: true }],
        tags: ["unnecessary"],
      });
    }
  },
};
