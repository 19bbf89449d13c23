// What the rest of the code reads from a rule's meta, checked for every rule in
// the registry: the fixture harness checks `fixable`, the accuracy test reads
// `hazard`, and here the declared messages.
import * as assert from "node:assert/strict";
import { messageOf } from "../../server/src/core/diagnostic";
import { RULES } from "../../server/src/core/rules";

describe("rule contract", () => {
  it("gives every rule a unique kebab-case id, and a hazard to every rule but the check of Async Lens's own comments", () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const { meta } of RULES) {
      assert.match(meta.id, /^[a-z]+(-[a-z]+)*$/);
      assert.equal(meta.hazard === undefined, meta.afterSuppressions === true, `${meta.id}: hazard ${meta.hazard}`);
    }
  });

  for (const { meta } of RULES) {
    it(`${meta.id}: each declared message says what is wrong, why, and what to do`, () => {
      const messages = Object.entries(meta.messages);
      assert.ok(messages.length >= 1, "a rule declares every message it reports");
      for (const [id, spec] of messages) {
        assert.match(id, /^[a-z]+(-[a-z]+)*$/, `${id}: a kebab-case id, as fixture markers name it`);
        assert.ok(spec.why.length > 0 && spec.text.includes(spec.why), `${id}: "why" is part of the text`);
        assert.ok(spec.action.length > 0 && spec.text.includes(spec.action), `${id}: "action" is part of the text`);
        const what = spec.text.replace(spec.why, "").replace(spec.action, "").replace(/[^a-zA-Z]/g, "");
        assert.ok(what.length >= 10, `${id}: the text says what is wrong besides why and what to do`);
      }
    });
  }

  // A report carries only a message id (the compiler refuses text of the rule's own), and the
  // fixtures run every rule's reports through messageOf, so an id outside the declared messages fails them.
  it("refuses a message id the rule does not declare and a placeholder without a value", () => {
    const { meta } = RULES.find((r) => r.meta.id === "lock-reentry")!;
    assert.throws(() => messageOf(meta, { messageId: "not-declared" }), /undeclared message 'not-declared'/);
    assert.throws(() => messageOf(meta, { messageId: "reacquired", data: { lock: "m", through: "" } }), /no value for \{line\}/);
    assert.match(messageOf(meta, { messageId: "reacquired", data: { lock: "mutex m", through: "", line: "3" } }), /^mutex m is acquired again while this path already holds it \(acquired at line 3\);/);
  });
});
