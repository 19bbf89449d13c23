import * as assert from "node:assert/strict";
import { eolOf, withEol } from "../../server/src/core/fixes/eol";

describe("line endings of fixes", () => {
  it("takes a file's line ending from its first line break", () => {
    assert.equal(eolOf("a\r\nb\nc\n"), "\r\n");
    assert.equal(eolOf("a\nb\r\n"), "\n");
    assert.equal(eolOf("\nb\r\n"), "\n");
    assert.equal(eolOf("no break"), "\n");
  });

  it("writes CRLF into a CRLF file without doubling what is CRLF already", () => {
    assert.equal(withEol("try {\n  a();\r\n} finally {\n  b();\r\n}\n", "\r\n"), "try {\r\n  a();\r\n} finally {\r\n  b();\r\n}\r\n");
    assert.equal(withEol("try {\n  a();\n}", "\n"), "try {\n  a();\n}");
  });
});
