// The fix shared by lock-not-released's cases: wrap the statements between
// taking a lock (or setting a guard) and giving it back in
// `try { … } finally { release(); }`, so the release runs on every path.
// Releases on early-exit paths inside become redundant and are removed;
// promises returned from inside are awaited, so the release waits for them.
import ts from "typescript";
import { rangeFromOffsets } from "../../location";
import type { Fix, TextEdit } from "../../types";
import { isClearingStatement } from "./control-flow";

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** One indentation step of the file: what a block adds to its opening line. */
function indentUnit(file: ts.SourceFile, block: ts.Node, inner: string): string {
  const outer = indentAt(file.text, block.getStart(file));
  if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  return inner.includes("\t") ? "\t" : "  ";
}

function declaredNames(s: ts.Statement): string[] {
  if (ts.isVariableStatement(s)) {
    const names: string[] = [];
    const add = (n: ts.BindingName): void => {
      if (ts.isIdentifier(n)) names.push(n.text);
      else for (const el of n.elements) if (ts.isBindingElement(el)) add(el.name);
    };
    for (const d of s.declarationList.declarations) add(d.name);
    return names;
  }
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) return [s.name.text];
  return [];
}

function mentions(nodes: readonly ts.Node[], names: Set<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) found = true;
    else ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return found;
}

function hasMultilineTemplate(nodes: readonly ts.Node[], file: ts.SourceFile): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) && n.getText(file).includes("\n")) found = true;
    else ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return found;
}

export interface WrapRequest {
  file: ts.SourceFile;
  /** The block (or case clause) that holds both the acquiring and the releasing statement. */
  statements: ts.NodeArray<ts.Statement>;
  container: ts.Node;
  /** Index of the first statement to protect and of the releasing statement, which moves into `finally`. */
  from: number;
  release: number;
  /** Recognises a release call, so that the ones on early paths inside can go. */
  isRelease: (n: ts.Node) => boolean;
  /** Returns whose promise must be awaited before the release (`return work()` → `return await work()`). */
  returnsToAwait: readonly ts.Expression[];
  title: string;
}

/** Edits inside the wrapped text, relative to the file. */
interface InnerEdit {
  start: number;
  end: number;
  text: string;
}

function removalsOfRedundantReleases(file: ts.SourceFile, isRelease: (n: ts.Node) => boolean, wrapped: readonly ts.Statement[]): InnerEdit[] | undefined {
  const out: InnerEdit[] = [];
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok || ts.isFunctionLike(n)) return;
    if (ts.isExpressionStatement(n) && isClearingStatement(n, isRelease)) {
      // Only a statement of a block can go without leaving an empty `if (x)`.
      if (!ts.isBlock(n.parent)) {
        ok = false;
        return;
      }
      const text = file.text;
      const start = lineStart(text, n.getStart(file));
      const lineEnd = text.indexOf("\n", n.getEnd());
      const alone = text.slice(start, n.getStart(file)).trim() === "" && text.slice(n.getEnd(), lineEnd < 0 ? text.length : lineEnd).trim() === "";
      out.push(alone ? { start, end: lineEnd < 0 ? text.length : lineEnd + 1, text: "" } : { start: n.getStart(file), end: n.getEnd(), text: "" });
      return;
    }
    ts.forEachChild(n, visit);
  };
  wrapped.forEach(visit);
  return ok ? out : undefined;
}

/** The try/finally fix, or undefined when it cannot be made safely (scoping, layout). */
export function wrapInTryFinally(req: WrapRequest): Fix | undefined {
  const { file, statements } = req;
  if (req.from > req.release || req.release >= statements.length) return undefined;
  const wrapped = statements.slice(req.from, req.release);
  const releaseStatement = statements[req.release];
  if (wrapped.length === 0) return undefined;
  // Declarations inside the try would no longer be visible after it; a final
  // `return value;` that needs them moves into the try (the finally still runs).
  const names = new Set(wrapped.flatMap(declaredNames));
  const after = statements.slice(req.release + 1);
  if (names.size > 0 && mentions(after, names)) {
    if (after.length !== 1 || !ts.isReturnStatement(after[0]) || !ts.isFunctionLike(req.container.parent)) return undefined;
    wrapped.push(after[0]);
  }
  if (hasMultilineTemplate(wrapped, file)) return undefined;
  const removals = removalsOfRedundantReleases(file, req.isRelease, wrapped);
  if (!removals) return undefined;

  const text = file.text;
  const start = lineStart(text, wrapped[0].getStart(file));
  const movedReturn = wrapped[wrapped.length - 1] !== statements[req.release - 1] ? wrapped.pop() : undefined;
  const end = wrapped[wrapped.length - 1].getEnd();
  const edits: InnerEdit[] = [...removals, ...req.returnsToAwait.map((e) => ({ start: e.getStart(file), end: e.getStart(file), text: "await " }))]
    .filter((e) => e.start >= start && e.end <= end)
    .sort((a, b) => b.start - a.start);
  let body = text.slice(start, end);
  for (const e of edits) body = body.slice(0, e.start - start) + e.text + body.slice(e.end - start);

  const indent = indentAt(text, wrapped[0].getStart(file));
  const unit = indentUnit(file, req.container, indent);
  const reindented = body
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : unit + line))
    .join("\n");
  const returnLine = movedReturn ? `\n${indent}${unit}${movedReturn.getText(file)}` : "";
  const newText = `${indent}try {\n${reindented}${returnLine}\n${indent}} finally {\n${indent}${unit}${releaseStatement.getText(file)}\n${indent}}`;
  const edit: TextEdit = { file: file.fileName, range: rangeFromOffsets(file, start, (movedReturn ?? releaseStatement).getEnd()), newText };
  return { title: req.title, edits: [edit], isPreferred: true };
}

/** Inserts `await ` before returned promises: the release in `finally` then waits for the work. */
export function awaitReturnsFix(file: ts.SourceFile, returns: readonly ts.Expression[], title: string): Fix {
  return {
    title,
    edits: returns.flatMap((e) => {
      const start = e.getStart(file);
      // `await a ? b : c` would await only `a`: a conditional or binary expression is awaited whole, in parentheses.
      if (!ts.isConditionalExpression(e) && !ts.isBinaryExpression(e)) return [{ file: file.fileName, range: rangeFromOffsets(file, start, start), newText: "await " }];
      return [
        { file: file.fileName, range: rangeFromOffsets(file, start, start), newText: "await (" },
        { file: file.fileName, range: rangeFromOffsets(file, e.getEnd(), e.getEnd()), newText: ")" },
      ];
    }),
    isPreferred: true,
  };
}

/** Moves the statements between an acquire and its `try` to the start of the try block. */
export function moveIntoTryFix(file: ts.SourceFile, statements: ts.NodeArray<ts.Statement>, from: number, tryIndex: number, title: string): Fix | undefined {
  const moved = statements.slice(from, tryIndex);
  const tryStatement = statements[tryIndex];
  if (moved.length === 0 || !ts.isTryStatement(tryStatement)) return undefined;
  const names = new Set(moved.flatMap(declaredNames));
  const afterTry = [tryStatement.catchClause, tryStatement.finallyBlock, ...statements.slice(tryIndex + 1)].filter((n): n is NonNullable<typeof n> => n !== undefined);
  if (names.size > 0 && mentions(afterTry, names)) return undefined;
  if (hasMultilineTemplate(moved, file)) return undefined;
  const text = file.text;
  const start = lineStart(text, moved[0].getStart(file));
  const end = lineStart(text, tryStatement.getStart(file));
  const indent = indentAt(text, moved[0].getStart(file));
  const unit = indentUnit(file, tryStatement.parent, indent);
  const body = text
    .slice(start, end)
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : unit + line))
    .join("\n");
  const openBrace = tryStatement.tryBlock.getStart(file) + 1;
  const lineEnd = text.indexOf("\n", openBrace);
  if (lineEnd < 0) return undefined;
  return {
    title,
    edits: [
      { file: file.fileName, range: rangeFromOffsets(file, start, end), newText: "" },
      { file: file.fileName, range: rangeFromOffsets(file, lineEnd + 1, lineEnd + 1), newText: body.endsWith("\n") ? body : `${body}\n` },
    ],
    isPreferred: true,
  };
}

export interface RunExclusiveRequest {
  file: ts.SourceFile;
  statements: ts.NodeArray<ts.Statement>;
  /** The block whose statements these are; the fix applies only to a function body. */
  container: ts.Node;
  /** Index of the acquiring statement and of the releasing statement. */
  acquire: number;
  release: number;
  /** `this.mutex` in `this.mutex.acquire()`. */
  receiver: ts.Expression;
  isRelease: (n: ts.Node) => boolean;
  title: string;
}

function containsAny(nodes: readonly ts.Node[], test: (n: ts.Node) => boolean): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (test(n)) found = true;
    else if (!ts.isFunctionLike(n) && !ts.isClassLike(n)) ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return found;
}

/**
 * Rewrites `const release = await m.acquire(); … release();` to
 * `await m.runExclusive(async () => { … });`. Returns inside become returns of
 * the callback, so the whole rewrite is `return await m.runExclusive(…)` when
 * the function returns from inside, or ends with a `return` right after the release.
 */
export function runExclusiveFix(req: RunExclusiveRequest): Fix | undefined {
  const { file, statements } = req;
  const fn = req.container.parent;
  if (!ts.isBlock(req.container) || !fn || !ts.isFunctionLike(fn)) return undefined;
  const wrapped = statements.slice(req.acquire + 1, req.release);
  if (wrapped.length === 0) return undefined;
  const after = statements.slice(req.release + 1);
  // A callback cannot break out of the caller's loops, yield for it, or see its `arguments`.
  const escapes = (n: ts.Node): boolean =>
    ts.isYieldExpression(n) || ((ts.isBreakStatement(n) || ts.isContinueStatement(n)) && (n.label !== undefined || !containsLoop(n, wrapped))) || (ts.isIdentifier(n) && n.text === "arguments");
  if (containsAny(wrapped, escapes) || hasMultilineTemplate(wrapped, file)) return undefined;
  const returnsInside = containsAny(wrapped, (n) => ts.isReturnStatement(n));
  const finalReturn = after.length === 1 && ts.isReturnStatement(after[0]) ? after[0] : undefined;
  const names = new Set(wrapped.flatMap(declaredNames));
  const needsReturn = returnsInside || (finalReturn !== undefined && mentions([finalReturn], names));
  if (needsReturn && after.length > 0 && !finalReturn) return undefined;
  if (!needsReturn && names.size > 0 && mentions(after, names)) return undefined;
  const moved = needsReturn && finalReturn ? [...wrapped, finalReturn] : wrapped;
  // The release itself goes too: the moved final return follows it.
  const removals = removalsOfRedundantReleases(file, req.isRelease, [...wrapped, statements[req.release]]);
  if (!removals) return undefined;

  const text = file.text;
  const acquireStatement = statements[req.acquire];
  const start = lineStart(text, moved[0].getStart(file));
  const end = moved[moved.length - 1].getEnd();
  let body = text.slice(start, end);
  for (const e of removals.filter((r) => r.start >= start && r.end <= end).sort((a, b) => b.start - a.start)) body = body.slice(0, e.start - start) + e.text + body.slice(e.end - start);
  const indent = indentAt(text, acquireStatement.getStart(file));
  const unit = indentUnit(file, req.container, indent);
  const reindented = body
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : unit + line))
    .join("\n");
  const replaceEnd = needsReturn && finalReturn ? finalReturn.getEnd() : statements[req.release].getEnd();
  const newText = `${needsReturn ? "return " : ""}await ${req.receiver.getText(file)}.runExclusive(async () => {\n${reindented}\n${indent}});`;
  return {
    title: req.title,
    edits: [{ file: file.fileName, range: rangeFromOffsets(file, acquireStatement.getStart(file), replaceEnd), newText }],
  };
}

/** Whether a `break`/`continue` targets a loop or switch inside the moved statements. */
function containsLoop(n: ts.Node, within: readonly ts.Node[]): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isIterationStatement(p, false) || (ts.isSwitchStatement(p) && ts.isBreakStatement(n))) return true;
    if (within.includes(p)) return false;
  }
  return false;
}
