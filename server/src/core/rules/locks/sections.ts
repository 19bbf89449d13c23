// Critical sections: where a lock is held. A callback acquisition holds its
// lock while the callback runs; an explicit one (`acquire()` … `release()`)
// from the acquiring statement to the last release in the same function. The
// per-file result is shared by the four lock rules through one project fact.
import ts from "typescript";
import type { FactKey, ProjectFacts } from "../../facts";
import { calleeName, skipOuterExpressions } from "../../symbols";
import { helperAcquisition, helperFunctionOf, helperShapeOf, isHelperCandidate, type HelperShape } from "./helpers";
import { nodesAtMatches } from "../../ast/text-scan";
import type { CriticalSection } from "./critical-section";
import { ACQUIRE_NAMES, acquisitionOf, boundName, functionOrFile, RELEASE_NAMES, type Acquisition } from "./detect";

// The lock rules read the section type from here, beside the sections themselves.
export type { CriticalSection };

export interface FileLocks {
  acquisitions: Acquisition[];
  sections: CriticalSection[];
}

/** The statement whose parent is a block (or file, or case clause) and that contains `node`. */
export function statementOf(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n && n.parent; n = n.parent) {
    if (ts.isFunctionLike(n)) return undefined;
    if (ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent) || ts.isModuleBlock(n.parent)) return n as ts.Statement;
  }
  return undefined;
}

export function isFunctionBoundary(n: ts.Node): boolean {
  return ts.isFunctionLike(n) || ts.isClassLike(n);
}

/** `.then(cb)` / `.then(_, cb)` / `.catch(cb)` / `.finally(cb)`: how a callback argument is called, if it is one. */
function promiseHandlerKind(fn: ts.Node): "success" | "rejection" | "finally" | undefined {
  const p = fn.parent;
  if (!p || !ts.isCallExpression(p) || !p.arguments.includes(fn as ts.Expression)) return undefined;
  const name = calleeName(p.expression);
  if (name === "then") return p.arguments[0] === fn ? "success" : "rejection";
  if (name === "catch") return "rejection";
  return name === "finally" ? "finally" : undefined;
}

function inFinallyBlock(node: ts.Node, stop: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && n !== stop; n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.finallyBlock === n) return true;
  }
  return false;
}

function isReleaseCall(section: CriticalSection, call: ts.CallExpression): boolean {
  const a = section.acquisition;
  const callee = skipOuterExpressions(call.expression);
  if (section.binding && ts.isIdentifier(callee) && callee.text === section.binding) return true;
  if (!ts.isPropertyAccessExpression(callee) || !RELEASE_NAMES.has(callee.name.text)) return false;
  const target = skipOuterExpressions(callee.expression).getText();
  if (section.binding && target === section.binding) return true;
  const receiverText = a.receiver ? skipOuterExpressions(a.receiver).getText() : undefined;
  if (receiverText !== undefined && target === receiverText) {
    // `lock.release()`, `redlock.release(handle)`, `lockfile.unlock(path)`.
    if (call.arguments.length === 0) return a.style === "release-method" || a.style === "release-function";
    const arg = call.arguments[0].getText();
    return arg === section.binding || (a.keyArgument !== undefined && arg === a.keyArgument.getText());
  }
  // proper-lockfile's `unlock(path)` imported on its own.
  return false;
}

/** `unlock(path)` (proper-lockfile imported on its own), `releaseLock(key)`: a free function given the acquire's key. */
function isFreeUnlockCall(section: CriticalSection, call: ts.CallExpression): boolean {
  const a = section.acquisition;
  const callee = skipOuterExpressions(call.expression);
  return a.keyArgument !== undefined && a.receiver === undefined && ts.isIdentifier(callee) && RELEASE_NAMES.has(callee.text) && call.arguments[0]?.getText() === a.keyArgument.getText();
}

/** Finds the releases of an explicit section in its function, and whether the release leaves the function. */
function collectReleases(section: CriticalSection, fn: ts.Node): void {
  interface Where {
    nested: boolean;
    inThen: boolean;
    onRejection: boolean;
    inFinallyCallback: boolean;
  }
  const visit = (n: ts.Node, w: Where): void => {
    if (n !== fn && isFunctionBoundary(n)) {
      const kind = promiseHandlerKind(n);
      const inner: Where = {
        nested: true,
        inThen: w.inThen || kind === "success",
        onRejection: w.onRejection || kind === "rejection",
        inFinallyCallback: w.inFinallyCallback || kind === "finally",
      };
      ts.forEachChild(n, (c) => visit(c, inner));
      return;
    }
    if (ts.isCallExpression(n) && n.pos >= section.start && (isReleaseCall(section, n) || isFreeUnlockCall(section, n))) {
      section.releases.push({ node: n, inFinally: w.inFinallyCallback || inFinallyBlock(n, fn), inThen: w.inThen, onRejection: w.onRejection, nested: w.nested });
    } else if (section.binding && ts.isIdentifier(n) && n.text === section.binding && n.pos >= section.start && !isDeclarationName(n)) {
      classifyReference(section, n);
    }
    ts.forEachChild(n, (c) => visit(c, w));
  };
  visit(fn, { nested: false, inThen: false, onRejection: false, inFinallyCallback: false });
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isParameter(p)) && p.name === id;
}

/** A mention of the release binding that is not a call: passed to `.finally()`, or leaving the function. */
function classifyReference(section: CriticalSection, id: ts.Identifier): void {
  let e: ts.Node = id;
  while (ts.isParenthesizedExpression(e.parent) || ts.isNonNullExpression(e.parent) || ts.isAsExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if (ts.isCallExpression(p) && p.expression === e) return;
  // `release?.()`
  if (ts.isCallExpression(p) && p.questionDotToken && p.expression === e) return;
  if (ts.isPropertyAccessExpression(p) && p.expression === e) {
    // `handle.release()` is found as a call; other uses of the handle (`handle.extend()`) keep it here.
    return;
  }
  if (ts.isCallExpression(p) && p.arguments.includes(e as ts.Expression)) {
    const method = calleeName(p.expression);
    if (method === "finally" || method === "then" || method === "catch") {
      const success = method === "then" && p.arguments[0] === e;
      section.releases.push({ node: id, inFinally: method === "finally", inThen: success, onRejection: !success && method !== "finally", nested: true });
      return;
    }
  }
  // Tests, comparisons and `if (release)` guards do not let the release go.
  if (ts.isPrefixUnaryExpression(p) || ts.isIfStatement(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) || ts.isTypeOfExpression(p)) return;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === e) return;
  section.escapes = true;
}

/** The callback of a `.then(release => …)` on the acquiring call: its first parameter is the release. */
function thenCallbackOf(call: ts.CallExpression): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const access = call.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== call || access.name.text !== "then") return undefined;
  const thenCall = access.parent;
  if (!ts.isCallExpression(thenCall)) return undefined;
  const cb = thenCall.arguments[0] && skipOuterExpressions(thenCall.arguments[0]);
  return cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb : undefined;
}

function sectionOf(acquisition: Acquisition): CriticalSection | undefined {
  if (acquisition.style === "callback") {
    const cb = acquisition.callback;
    if (!cb) return undefined;
    return { acquisition, root: cb, start: cb.body.getStart(), end: cb.body.getEnd(), acquireStatement: undefined, binding: undefined, resultName: undefined, releases: [], escapes: false, disposed: false };
  }
  const thenCallback = thenCallbackOf(acquisition.call);
  if (thenCallback) {
    const param = thenCallback.parameters[0];
    const binding = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
    const section: CriticalSection = { acquisition, root: thenCallback, start: thenCallback.body.getStart(), end: thenCallback.body.getEnd(), acquireStatement: undefined, binding, resultName: binding, releases: [], escapes: false, disposed: false };
    return finishExplicit(section, thenCallback);
  }
  const statement = statementOf(acquisition.call);
  const fn = functionOrFile(acquisition.call);
  if (!statement) return undefined;
  const section: CriticalSection = {
    acquisition,
    root: fn,
    start: acquisition.call.getEnd(),
    end: fn.getEnd(),
    acquireStatement: statement,
    binding: acquisition.style === "release-method" ? undefined : boundName(acquisition.call),
    resultName: boundName(acquisition.call),
    releases: [],
    escapes: false,
    disposed: false,
  };
  const disposal = usingBlock(statement);
  if (disposal) {
    section.disposed = true;
    section.end = disposal.getEnd();
    return section;
  }
  // An acquire whose result is returned or handed on is released by the caller.
  if (acquisition.style !== "release-method" && section.binding === undefined && resultLeaves(acquisition.call)) return undefined;
  return finishExplicit(section, fn);
}

function finishExplicit(section: CriticalSection, fn: ts.Node): CriticalSection {
  collectReleases(section, fn);
  // A `const release` lives in its block: a release of the same name in a later block is another lock's.
  const scope = section.binding !== undefined && section.acquireStatement && ts.isVariableStatement(section.acquireStatement) ? section.acquireStatement.parent : undefined;
  if (scope) section.releases = section.releases.filter((r) => r.node.pos >= scope.pos && r.node.end <= scope.end);
  if (section.releases.length > 0) section.end = Math.max(...section.releases.map((r) => r.node.getStart()));
  else if (section.escapes) section.end = section.start;
  return section;
}

/** The block a `using` declaration disposes at, when `statement` is one. */
function usingBlock(statement: ts.Statement): ts.Node | undefined {
  if (!ts.isVariableStatement(statement)) return undefined;
  return statement.declarationList.flags & ts.NodeFlags.Using ? statement.parent : undefined;
}

function resultLeaves(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isExpressionStatement(p)) return false;
  if (ts.isPropertyAccessExpression(p) && p.name.text === "then") return false;
  return true;
}

const ACQUIRE_CALL_TEXT = /\b(acquire|aquire|acquireAsync|acquireLock|acquireMutex|runExclusive|lock|lockAsync|lockSync|request|using)\s*(<[^>()]*>)?\s*\(/g;

/** Calls of a name matched by `text` (in capture group `group`), found from the text without the checker, that `accept` keeps. */
function callsMatching(file: ts.SourceFile, text: RegExp, accept: (call: ts.CallExpression, name: ts.Identifier) => boolean, group = 1): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  for (const node of nodesAtMatches(file, text, group)) {
    if (!ts.isIdentifier(node)) continue;
    let callee: ts.Node = node;
    while (ts.isPropertyAccessExpression(callee.parent) && callee.parent.name === callee) callee = callee.parent;
    const call = callee.parent;
    if (call && ts.isCallExpression(call) && call.expression === callee && accept(call, node)) out.push(call);
  }
  return out;
}

/**
 * The calls a file's text offers, kept per SourceFile: the language service
 * keeps the objects of unchanged files, whose locks are computed again when a
 * file they import changes, and scanning every such file's text cost more than the rest.
 */
function memoisedByFile(find: (file: ts.SourceFile) => ts.CallExpression[]): (file: ts.SourceFile) => ts.CallExpression[] {
  const found = new WeakMap<ts.SourceFile, ts.CallExpression[]>();
  return (file) => {
    let calls = found.get(file);
    if (calls === undefined) found.set(file, (calls = find(file)));
    return calls;
  };
}

/** Calls whose name can take a lock. */
const candidateCalls = memoisedByFile((file) => callsMatching(file, ACQUIRE_CALL_TEXT, (_call, name) => ACQUIRE_NAMES.has(name.text)));

/** The locks of one file, computed once per analysis and shared by the lock rules. */
export function fileLocks(facts: ProjectFacts, file: ts.SourceFile): FileLocks {
  const cache = facts.get(FILE_LOCKS);
  let result = cache.get(file);
  if (!result) {
    // Set first: a helper in this file whose shape is read while this file is computed sees what is known so far.
    result = { acquisitions: [], sections: [] };
    cache.set(file, result);
    computeFileLocks(facts, file, result);
  }
  return result;
}

const FILE_LOCKS: FactKey<Map<ts.SourceFile, FileLocks>> = { name: "lock-sections-by-file", compute: () => new Map() };
const HELPERS: FactKey<Map<ts.Node, HelperShape | null>> = { name: "lock-helpers", compute: () => new Map() };

function computeFileLocks(facts: ProjectFacts, file: ts.SourceFile, into: FileLocks): void {
  for (const call of candidateCalls(file)) {
    const a = acquisitionOf(facts, call);
    if (a) into.acquisitions.push(a);
  }
  into.sections.push(...into.acquisitions.map(sectionOf).filter((s): s is CriticalSection => s !== undefined));
  // Calls to lock helpers come second: a helper's shape is read from its own sections.
  for (const call of helperCandidateCalls(file)) {
    const fn = helperFunctionOf(facts, call);
    const shape = fn && helperShape(facts, fn);
    const a = shape && helperAcquisition(facts, call, shape);
    if (!a) continue;
    into.acquisitions.push(a);
    const section = sectionOf(a);
    if (section) into.sections.push(section);
  }
}

function helperShape(facts: ProjectFacts, fn: ts.FunctionLikeDeclaration): HelperShape | undefined {
  const memo = facts.get(HELPERS);
  if (memo.has(fn)) return memo.get(fn) ?? undefined;
  memo.set(fn, null);
  const own = fileLocks(facts, fn.getSourceFile()).sections.filter((s) => functionOrFile(s.acquisition.call) === fn);
  const shape = helperShapeOf(fn, own, (s) => {
    const calls: ts.CallExpression[] = [];
    forEachHeldNode(s, (n) => {
      if (ts.isCallExpression(n)) calls.push(n);
    });
    return calls;
  });
  memo.set(fn, shape ?? null);
  return shape;
}

/**
 * A call of a name with a lock word in it. It matches from the word, not from
 * the start of the name (`\b\w*` would try every word of the file); the node
 * found there is the whole name all the same.
 */
const HELPER_CALL_TEXT = /(?:[Ll]ock|[Mm]utex|[Ee]xclusive|[Ss]ynchroni[sz]ed?|[Cc]ritical)\w*\s*(<[^>()]*>)?\s*\(/g;

const helperCandidateCalls = memoisedByFile((file) => callsMatching(file, HELPER_CALL_TEXT, isHelperCandidate, 0));

/** A release call that appears, as its own statement, before `node` in one of its enclosing blocks within the section. */
function releasedBefore(section: CriticalSection, node: ts.Node): boolean {
  const directReleases = section.releases.filter((r) => !r.nested).map((r) => r.node);
  if (directReleases.length === 0) return false;
  for (let n: ts.Node = node; n.parent && n !== section.root; n = n.parent) {
    const parent = n.parent;
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      const index = parent.statements.indexOf(n as ts.Statement);
      for (let i = 0; i < index; i++) {
        const s = parent.statements[i];
        if (s.getStart() < section.start) continue;
        if (directReleases.some((r) => r.pos >= s.pos && r.end <= s.end && statementOf(r) === s)) return true;
      }
    }
  }
  return false;
}

/** True when a callback argument runs while its caller's lock is held (the critical section of a nested acquisition). */
function isHeldCallback(fn: ts.Node): boolean {
  const p = fn.parent;
  if (!p || !ts.isCallExpression(p) || !p.arguments.includes(fn as ts.Expression)) return false;
  const name = calleeName(p.expression);
  return name !== undefined && ACQUIRE_NAMES.has(name);
}

/**
 * Visits the code that runs while the section's lock is held, in source
 * order: not nested functions (they run later), except the callbacks of
 * nested lock acquisitions, which run inside.
 */
export function forEachHeldNode(section: CriticalSection, visit: (node: ts.Node) => void): void {
  const walk = (n: ts.Node): void => {
    if (n.end <= section.start || n.getStart() >= section.end) return;
    if (n !== section.root && isFunctionBoundary(n) && !isHeldCallback(n)) return;
    if (n.getStart() >= section.start && n.end <= section.end + 1 && !ts.isBlock(n) && releasedBefore(section, n)) return;
    visit(n);
    ts.forEachChild(n, walk);
  };
  walk(section.root);
}

/** The awaits made while the section's lock is held. */
export function heldAwaits(section: CriticalSection): ts.AwaitExpression[] {
  const out: ts.AwaitExpression[] = [];
  forEachHeldNode(section, (n) => {
    if (ts.isAwaitExpression(n) && n.getStart() >= section.start) out.push(n);
  });
  return out;
}

/** Whether the promise of `call` is waited for on the path: awaited, returned, or yielded (through `.then()` chains). */
export function isWaitedFor(call: ts.Expression): boolean {
  let n: ts.Node = call;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) n = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && /^(then|catch|finally)$/.test(p.name.text)) n = p.parent;
    else return ts.isAwaitExpression(p) || ts.isReturnStatement(p) || ts.isYieldExpression(p) || (ts.isArrowFunction(p) && p.body === n);
  }
}
