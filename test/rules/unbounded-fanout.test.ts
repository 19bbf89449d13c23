import * as assert from "node:assert/strict";
import { wordsOf } from "../../server/src/core/rules/unbounded-fanout/limiters";
import { describeRuleFixtures } from "../support/fixtures";

describeRuleFixtures("unbounded-fanout");

describe("unbounded-fanout naming", () => {
  it("splits identifiers into the words the size heuristics read", () => {
    assert.deepEqual(wordsOf("maxConcurrency"), ["max", "concurrency"]);
    assert.deepEqual(wordsOf("BATCH_SIZE"), ["batch", "size"]);
    assert.deepEqual(wordsOf("rootHooks"), ["root", "hooks"]);
    assert.deepEqual(wordsOf("PQueue"), ["pqueue"]);
  });
});
