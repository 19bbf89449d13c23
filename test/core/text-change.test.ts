// The one stretch of text an edit changed, which the language server hands to
// TypeScript's incremental parser and to the partial analysis.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { textChange } from "../../server/src/core/text-change";

describe("text change", () => {
  it("finds the longest common prefix, then the longest common suffix, across long texts", () => {
    // Few letters, so that long stretches repeat and the common parts run past many blocks.
    const text = fc.string({ unit: fc.constantFrom("a", "b", "\n"), minLength: 300, maxLength: 3000 });
    fc.assert(
      fc.property(text, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 40 }), fc.string({ unit: fc.constantFrom("a", "b", "\n"), maxLength: 40 }), (before, at, removed, inserted) => {
        const start = Math.floor(at * before.length);
        const after = before.slice(0, start) + inserted + before.slice(start + removed);
        const change = textChange(before, after);
        assert.equal(before.slice(0, change.start), after.slice(0, change.start));
        assert.equal(before.slice(change.oldEnd), after.slice(change.newEnd));
        assert.ok(change.start <= change.oldEnd && change.start <= change.newEnd);
        const shorter = Math.min(before.length, after.length);
        assert.ok(change.start === shorter || before[change.start] !== after[change.start], "the prefix is the longest");
        const suffix = before.length - change.oldEnd;
        assert.ok(suffix === shorter - change.start || before[change.oldEnd - 1] !== after[change.newEnd - 1], "the suffix is the longest after the prefix");
      }),
      { numRuns: 500, seed: 20261206 },
    );
  });
});
