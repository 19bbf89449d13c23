import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("blocking-call");
