import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("lock-reentry");
