import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("ignored-backpressure");
