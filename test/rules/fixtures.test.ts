// The fixture tests of every rule, from test/fixtures/<rule-id>/ (see
// test/support/fixtures.ts): a new rule is covered once it is in RULES.
import { RULES } from "../../server/src/core/rules";
import { describeRuleFixtures } from "../support/fixtures";

for (const rule of RULES) describeRuleFixtures(rule.meta);
