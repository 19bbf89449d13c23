// Quick fixes that replace a blocking call with its awaited asynchronous twin.
// Each builder returns undefined when it cannot promise code that still
// type-checks (an options object the twin does not take, a result used as a
// different type), so a fix is only offered where it is safe to apply blindly.
// A default import: `import * as` would route every `ts.` access through a getter, which shows in whole-project walks.
import ts from "typescript";
import type { BlockingApi } from "../../catalogue";
import type { AsyncAlternative } from "../../catalogue/blocking-apis";
import { rangeFromOffsets } from "../../location";
import type { Fix, TextEdit } from "../../types";
import { importBindingOf, skipOuterExpressions, type CalleeRef } from "../../symbols";
import { importedValue } from "../../fixes/imports";

/** Options of `execSync`/`execFileSync` that `exec`/`execFile` accept with the same meaning. */
const EXEC_SAFE_OPTIONS = new Set(["cwd", "env", "encoding", "timeout", "maxBuffer", "killSignal", "uid", "gid", "windowsHide", "shell"]);

/** Options objects the `fs/promises` twin does not take. */
const FS_UNSUPPORTED_OPTIONS = new Set(["throwIfNoEntry"]);

function replace(call: ts.Node, start: number, end: number, newText: string): TextEdit {
  const file = call.getSourceFile();
  return { file: file.fileName, range: rangeFromOffsets(file, start, end), newText };
}

function argumentsText(call: ts.CallExpression): string {
  const file = call.getSourceFile();
  return file.text.slice(call.arguments.pos, call.arguments.end);
}

/** `await x` must be parenthesised where the call is the object of a member access, a callee, etc. */
function needsParens(node: ts.Node): boolean {
  const n = node;
  const p = n.parent;
  return (
    ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) ||
    ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === n) ||
    (ts.isTaggedTemplateExpression(p) && p.tag === n) ||
    ts.isNonNullExpression(p) ||
    (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && p.left === n)
  );
}

function objectLiteralKeys(arg: ts.Expression | undefined): string[] | undefined {
  if (arg === undefined) return [];
  const e = skipOuterExpressions(arg);
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  const keys: string[] = [];
  for (const p of e.properties) {
    if (!(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined;
    keys.push(p.name.text);
  }
  return keys;
}

/** The receiver when the call is `ns.nameSync(…)` on a namespace or default import of the callee's own module. */
function moduleNamespaceReceiver(checker: ts.TypeChecker, call: ts.CallExpression, module: string | undefined): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  const binding = importBindingOf(checker, receiver);
  return binding && binding.module === module && (binding.exportName === "*" || binding.exportName === "default") ? receiver.text : undefined;
}

/** The expression for the twin, reusing the call's own namespace when the twin lives in the same module. */
function twinExpression(checker: ts.TypeChecker, call: ts.CallExpression, ref: CalleeRef, alt: AsyncAlternative): { expression: string; edits: TextEdit[] } {
  if (alt.module === ref.module) {
    const ns = moduleNamespaceReceiver(checker, call, ref.module);
    if (ns !== undefined) return { expression: `${ns}.${alt.name}`, edits: [] };
  }
  return importedValue(checker, call, alt.module, alt.name);
}

function awaitReplacement(call: ts.CallExpression, awaited: string, edits: TextEdit[], title: string): Fix {
  const text = needsParens(call) ? `(await ${awaited})` : `await ${awaited}`;
  return { title, isPreferred: true, edits: [replace(call, call.getStart(), call.getEnd(), text), ...edits] };
}

function fsArgumentsSupported(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const first = call.arguments[0];
  // A file descriptor: the promise API works on FileHandles, not numbers.
  if (first && checker.getTypeAtLocation(first).flags & ts.TypeFlags.NumberLike) return false;
  return call.arguments.every((a) => (objectLiteralKeys(a) ?? []).every((k) => !FS_UNSUPPORTED_OPTIONS.has(k)));
}

function promisesFix(checker: ts.TypeChecker, call: ts.CallExpression, ref: CalleeRef, alt: AsyncAlternative): Fix | undefined {
  if (alt.module === "fs/promises" && !fsArgumentsSupported(checker, call)) return undefined;
  const twin = twinExpression(checker, call, ref, alt);
  return awaitReplacement(call, `${twin.expression}(${argumentsText(call)})`, twin.edits, `Use \`await ${alt.name}\` instead of \`${ref.name}\``);
}

function promisifyFix(checker: ts.TypeChecker, call: ts.CallExpression, ref: CalleeRef, alt: AsyncAlternative): Fix | undefined {
  // scrypt is overloaded, and promisify types it as a three-argument function resolving to `unknown`.
  const untypedResult = alt.name === "scrypt";
  if (untypedResult && call.arguments.length !== 3) return undefined;
  const twin = twinExpression(checker, call, ref, alt);
  const promisify = importedValue(checker, call, "util", "promisify");
  const invoked = `${promisify.expression}(${twin.expression})(${argumentsText(call)})`;
  const title = `Use \`await promisify(${alt.name})\` instead of \`${ref.name}\``;
  const edits = [...twin.edits, ...promisify.edits];
  if (!untypedResult) return awaitReplacement(call, invoked, edits, title);
  return { title, isPreferred: true, edits: [replace(call, call.getStart(), call.getEnd(), `(await ${invoked} as Buffer)`), ...edits] };
}

/**
 * exec/execFile resolve to `{ stdout, stderr }` where the sync call returned the
 * output itself; offered where the output is unused, read as a string, or
 * turned into one with `.toString()`.
 */
function stdoutFix(checker: ts.TypeChecker, call: ts.CallExpression, ref: CalleeRef, alt: AsyncAlternative): Fix | undefined {
  const optionsIndex = alt.name === "execFile" && call.arguments[1] && !isObjectLiteral(call.arguments[1]) ? 2 : 1;
  const options = call.arguments[optionsIndex];
  if (call.arguments.length > optionsIndex + 1) return undefined;
  const keys = objectLiteralKeys(options);
  if (keys === undefined || keys.some((k) => !EXEC_SAFE_OPTIONS.has(k))) return undefined;
  const encoding = stringEncoding(options);
  if (encoding === "buffer") return undefined;
  const twin = twinExpression(checker, call, ref, alt);
  const promisify = importedValue(checker, call, "util", "promisify");
  const edits = [...twin.edits, ...promisify.edits];
  const invoked = `${promisify.expression}(${twin.expression})(${argumentsText(call)})`;
  const title = `Use \`await promisify(${alt.name})\` instead of \`${ref.name}\``;
  if (isValueUnused(call)) return awaitReplacement(call, invoked, edits, title);
  const toString = toStringCallOn(call);
  if (toString) return { title, isPreferred: true, edits: [replace(call, call.getStart(), toString.getEnd(), `(await ${invoked}).stdout`), ...edits] };
  if (encoding === undefined) return undefined; // the sync call returned a Buffer
  return { title, isPreferred: true, edits: [replace(call, call.getStart(), call.getEnd(), `(await ${invoked}).stdout`), ...edits] };
}

function isObjectLiteral(e: ts.Expression): boolean {
  return ts.isObjectLiteralExpression(skipOuterExpressions(e));
}

function stringEncoding(options: ts.Expression | undefined): string | undefined {
  if (!options) return undefined;
  const e = skipOuterExpressions(options);
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  for (const p of e.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "encoding") {
      return ts.isStringLiteralLike(p.initializer) ? p.initializer.text : "buffer";
    }
  }
  return undefined;
}

function isValueUnused(call: ts.Node): boolean {
  return ts.isExpressionStatement(call.parent) || (ts.isVoidExpression(call.parent) && ts.isExpressionStatement(call.parent.parent));
}

/** `execSync(cmd).toString()` or `.toString("utf8")`: the whole conversion, which `.stdout` replaces. */
function toStringCallOn(call: ts.CallExpression): ts.CallExpression | undefined {
  const access = call.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== call || access.name.text !== "toString") return undefined;
  const invocation = access.parent;
  if (!ts.isCallExpression(invocation) || invocation.expression !== access) return undefined;
  const arg = invocation.arguments[0];
  if (invocation.arguments.length === 0 || (invocation.arguments.length === 1 && ts.isStringLiteralLike(arg) && /^utf-?8$/i.test(arg.text))) return invocation;
  return undefined;
}

/** `Atomics.wait(…)` → `await Atomics.waitAsync(…).value`, where the program's lib has `waitAsync`. */
function waitAsyncFix(checker: ts.TypeChecker, call: ts.CallExpression, ref: CalleeRef): Fix | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (checker.getTypeAtLocation(callee.expression).getProperty("waitAsync") === undefined) return undefined;
  const receiver = callee.expression.getText();
  return awaitReplacement(call, `${receiver}.waitAsync(${argumentsText(call)}).value`, [], `Use \`await ${receiver}.waitAsync(…).value\` instead of \`${receiver}.${ref.name}\``);
}

/** The preferred fix for a catalogue call made directly in an async function's body, if one is safe. */
export function asyncTwinFix(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, ref: CalleeRef, api: BlockingApi): Fix | undefined {
  const alt = api.asyncAlternative;
  if (!alt || !ts.isCallExpression(call)) return undefined;
  switch (alt.style) {
    case "promises":
      return promisesFix(checker, call, ref, alt);
    case "promisify":
      return promisifyFix(checker, call, ref, alt);
    case "promisify-stdout":
      return stdoutFix(checker, call, ref, alt);
    case "wait-async":
      return waitAsyncFix(checker, call, ref);
  }
}
