import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("lock-order");
