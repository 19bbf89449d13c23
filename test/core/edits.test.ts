import * as assert from "node:assert/strict";
import { applyEdits, combineFixes } from "../../server/src/core/fixes/apply";
import type { Fix, TextEdit } from "../../server/src/core/types";

const edit = (line: number, start: number, end: number, newText: string, file = "/a.ts", endLine = line): TextEdit => ({
  file,
  range: { start: { line, character: start }, end: { line: endLine, character: end } },
  newText,
});

describe("text edits", () => {
  const text = "const a = readFileSync(p);\nconst b = 2;\n";

  describe("applyEdits", () => {
    it("applies edits given in any order", () => {
      const { text: out, skipped } = applyEdits(text, [edit(1, 10, 11, "3"), edit(0, 10, 22, "await readFile"), edit(0, 0, 0, 'import { readFile } from "node:fs/promises";\n')]);
      assert.equal(out, 'import { readFile } from "node:fs/promises";\nconst a = await readFile(p);\nconst b = 3;\n');
      assert.deepEqual(skipped, []);
    });

    it("applies two insertions at one point, in the order given", () => {
      assert.equal(applyEdits(text, [edit(0, 0, 0, "// one\n"), edit(0, 0, 0, "// two\n")]).text, `// one\n// two\n${text}`);
    });

    it("skips and returns the later of two overlapping edits", () => {
      const later = edit(0, 15, 25, "x");
      const { text: out, skipped } = applyEdits(text, [edit(0, 10, 22, "y"), later]);
      assert.equal(out, "const a = y(p);\nconst b = 2;\n");
      assert.deepEqual(skipped, [later]);
    });

    it("edits across lines and clamps positions past the end", () => {
      assert.equal(applyEdits(text, [edit(0, 9, 12, " 1;", "/a.ts", 1)]).text, "const a = 1;\n");
      assert.equal(applyEdits("abc\nde", [edit(5, 0, 0, "!")]).text, "abc\nde!");
      assert.equal(applyEdits("abc\nde", [edit(0, 40, 40, "!")]).text, "abc!\nde");
    });
  });

  describe("combineFixes", () => {
    const fix = (title: string, ...edits: TextEdit[]): Fix => ({ title, edits, isPreferred: true });

    it("takes each fix whole, and skips a fix any of whose edits overlaps one already chosen", () => {
      const first = fix("first", edit(0, 10, 22, "await readFile"), edit(0, 0, 0, "import …\n"));
      const clash = fix("clash", edit(1, 0, 5, "let"), edit(0, 12, 14, "zz"));
      const other = fix("other", edit(1, 10, 11, "3"));
      assert.deepEqual(combineFixes([first, clash, other]), [...first.edits, ...other.edits]);
    });

    it("applies an edit two fixes share only once (the same import added twice)", () => {
      const imp = () => edit(0, 0, 0, 'import { readFile } from "node:fs/promises";\n');
      const chosen = combineFixes([fix("a", imp(), edit(0, 10, 12, "x")), fix("b", imp(), edit(1, 10, 11, "y"))]);
      assert.equal(chosen.filter((e) => e.newText.startsWith("import")).length, 1);
      assert.equal(chosen.length, 3);
    });

    it("merges new imports of one module at one point into one, in both import and require form", () => {
      const esm = (name: string) => edit(2, 0, 0, `import { ${name} } from "node:fs/promises";\n`);
      const cjs = (name: string) => edit(0, 26, 26, `\nconst { ${name} } = require("node:fs/promises");`);
      const chosen = combineFixes([
        fix("a", esm("readFile"), cjs("readFile"), edit(0, 10, 12, "x")),
        fix("b", esm("writeFile as writeFileAsync"), cjs("writeFile: writeFileAsync"), edit(1, 10, 11, "y")),
        fix("c", esm("readFile"), cjs("readFile")),
      ]);
      assert.deepEqual(
        chosen.map((e) => e.newText),
        ['import { readFile, writeFile as writeFileAsync } from "node:fs/promises";\n', '\nconst { readFile, writeFile: writeFileAsync } = require("node:fs/promises");', "x", "y"],
      );
    });

    it("keeps imports of other modules, or at other points, apart", () => {
      const chosen = combineFixes([
        fix("a", edit(0, 0, 0, 'import { readFile } from "node:fs/promises";\n')),
        fix("b", edit(0, 0, 0, 'import { promisify } from "node:util";\n')),
        fix("c", edit(1, 0, 0, 'import { writeFile } from "node:fs/promises";\n')),
      ]);
      assert.equal(chosen.length, 3);
    });

    it("never treats edits in different files as overlapping", () => {
      assert.equal(combineFixes([fix("a", edit(0, 0, 5, "x", "/a.ts")), fix("b", edit(0, 0, 5, "y", "/b.ts"))]).length, 2);
    });
  });
});
