import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("lock-not-released");
