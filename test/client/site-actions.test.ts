// "Show in Task Inspector": which diagnostics get the action, and the site it
// filters the panel to (the same 1-based file:line the trace's sites carry).
import * as assert from "node:assert/strict";
import { parseToWebview } from "../../client/src/panel/messages";
import { siteActions } from "../../client/src/panel/site-actions";

const at = (line: number, source: string | undefined) => ({ source, range: { start: { line } } });

describe("Show in Task Inspector actions", () => {
  it("offers one action per flagged line, for the language server's diagnostics only", () => {
    const blocking = at(11, "async-lens");
    const lock = at(11, "async-lens");
    const other = at(30, "async-lens");
    const actions = siteActions("/w/server.js", [blocking, at(11, "async-lens runtime"), at(4, "eslint"), at(6, undefined), lock, other]);
    assert.deepEqual(
      actions.map(({ title, file, line, diagnostics }) => ({ title, file, line, diagnostics })),
      [
        { title: "Show in Task Inspector (line 12)", file: "/w/server.js", line: 12, diagnostics: [blocking, lock] },
        { title: "Show in Task Inspector (line 31)", file: "/w/server.js", line: 31, diagnostics: [other] },
      ],
    );
  });

  it("offers nothing without an Async Lens diagnostic", () => {
    assert.deepEqual(siteActions("/w/a.js", [at(1, "ts"), at(2, "async-lens runtime")]), []);
  });

  it("gives a site the panel accepts as a filter-site message", () => {
    const [action] = siteActions("/w/a.js", [at(0, "async-lens")]);
    const message = { type: "filter-site", file: action.file, line: action.line };
    assert.deepEqual(parseToWebview(message), { ok: true, value: message, skippedEvents: 0 });
  });
});
