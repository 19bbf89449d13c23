// Every rule has its documentation page, with the sections a reader looks for,
// and the README's rule table links it (the link each finding carries leads there).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../server/src/core/rules";

const REPO_ROOT = path.resolve(__dirname, "../../..");
const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("rule documentation", () => {
  for (const id of RULES.map((r) => r.meta.id)) {
    it(`${id} has a page with the expected sections, linked from the README`, () => {
      const page = path.join(REPO_ROOT, "server/docs/rules", `${id}.md`);
      assert.ok(fs.existsSync(page), `missing ${path.relative(REPO_ROOT, page)}`);
      const text = fs.readFileSync(page, "utf8");
      assert.match(text, new RegExp(`^# ${id}\\n`), "the page starts with the rule id as its title");
      for (const section of ["## What it does", "## Why is this bad?", "## When Not To Use It"]) assert.ok(text.includes(section), `no "${section}" section`);
      assert.ok(README.includes(`(server/docs/rules/${id}.md)`), "the README's rule table does not link the page");
    });
  }
});
