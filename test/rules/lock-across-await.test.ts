import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("lock-across-await");
