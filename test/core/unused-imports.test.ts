import * as assert from "node:assert/strict";
import { dropImportsLeftUnused } from "../../server/src/core/fixes/unused-imports";

describe("imports left unused by fixes", () => {
  const drop = (before: string, after: string, fileName = "a.ts") => dropImportsLeftUnused(fileName, before, after);

  it("removes a specifier whose last use a fix replaced, and the import when none is left", () => {
    assert.equal(
      drop('import { readFileSync, statSync } from "node:fs";\nreadFileSync(p); statSync(p);\n', 'import { readFileSync, statSync } from "node:fs";\nawait readFile(p); statSync(p);\n'),
      'import { statSync } from "node:fs";\nawait readFile(p); statSync(p);\n',
    );
    assert.equal(
      drop('// header\nimport { readFileSync } from "node:fs";\r\nimport { x } from "y";\r\nreadFileSync(x);\r\n', '// header\nimport { readFileSync } from "node:fs";\r\nimport { x } from "y";\r\nawait readFile(x);\r\n'),
      '// header\nimport { x } from "y";\r\nawait readFile(x);\r\n',
    );
  });

  it("removes orphaned requires, whole or destructured", () => {
    assert.equal(drop('const fs = require("fs");\nfs.readFileSync(p);\n', 'const fs = require("fs");\nawait readFile(p);\n', "a.js"), "await readFile(p);\n");
    assert.equal(drop('const { execSync, spawn } = require("child_process");\nexecSync(c); spawn(c);\n', 'const { execSync, spawn } = require("child_process");\nawait exec(c); spawn(c);\n', "a.js"), 'const { spawn } = require("child_process");\nawait exec(c); spawn(c);\n');
  });

  it("keeps a binding still named anywhere, and one that was unused before the fixes", () => {
    const still = 'import { readFileSync } from "node:fs";\n/** like readFileSync */\nawait readFile(p);\n';
    assert.equal(drop('import { readFileSync } from "node:fs";\n/** like readFileSync */\nreadFileSync(p);\n', still), still);
    const unusedBefore = 'import { statSync } from "node:fs";\nawait readFile(p);\n';
    assert.equal(drop('import { statSync } from "node:fs";\nreadFileSync(p);\n', unusedBefore), unusedBefore);
  });
});
