import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("unbounded-fanout");
