// Receivers that syntax alone shows to be arrays, Sets or Maps: the queue and
// backpressure rules skip their pushes without asking the checker.
import * as assert from "node:assert/strict";
import ts from "typescript";
import { isPlainCollection } from "../../server/src/core/flow/collections";

/** The receiver of the last `.push(…)` call in `code`. */
function lastPushReceiver(code: string): ts.Expression {
  const file = ts.createSourceFile("sample.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  let receiver: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "push") receiver = node.expression.expression;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return receiver!;
}

describe("plain collections", () => {
  const cases: [string, string, boolean][] = [
    ["a const array", "const rows = []; for (const r of list) rows.push(r);", true],
    ["a variable declared bare and only assigned arrays", "async function f(dir) { let entries; try { entries = []; for (const e of await readdir(dir)) entries.push(e); } catch { entries = []; } }", true],
    ["a variable that holds an array or nothing", "async function f(dir) { let entries = null; try { entries = []; for (const e of await readdir(dir)) entries.push(e); } catch { entries = undefined; } }", true],
    ["a variable declared bare and also assigned a stream", "function f() { let out; out = []; out = makeStream(); for (const x of xs) out.push(x); }", false],
    ["a variable declared bare and never assigned", "function f() { let out; for (const x of xs) out.push(x); }", false],
    ["dictionary entries assigned arrays in the method", "class A { run(key) { this.groups[key] = []; return items.map((i) => { this.groups[key].push(i); }); } }", true],
    ["dictionary entries created with ??=", "function f(groups, items) { for (const i of items) { groups[i.k] ??= []; groups[i.k].push(i); } }", true],
    ["dictionary entries that are streams", "function f(key) { streams[key] = new PassThrough(); for (const c of chunks) streams[key].push(c); }", false],
    ["a variable also filled by destructuring", "function f() { let out; out = []; ({ out } = make()); for (const x of xs) out.push(x); }", false],
    ["a variable also filled by a for-of", "function f() { let out; out = []; for (out of streams) out.push(x); }", false],
    ["a stream made by Readable.from", "const r = Readable.from(chunks); for (const c of more) r.push(c);", false],
    ["an entry under another key assigned an array", "class A { feed() { this[kPending] = []; for (const c of cs) this[kStream].push(c); } }", false],
    ["dictionary entries assigned elsewhere", "function f(key) { for (const c of chunks) streams[key].push(c); }", false],
  ];
  for (const [name, code, expected] of cases) {
    it(`${expected ? "knows" : "does not assume"} ${name}`, () => assert.equal(isPlainCollection(lastPushReceiver(code)), expected));
  }
});
