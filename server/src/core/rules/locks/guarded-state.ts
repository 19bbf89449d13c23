// What a critical section guards: the state it writes and the values it
// computes while holding the lock. An await needs the lock when it reads that
// state or those values, or when its result is used inside the section (a
// token refreshed under a lock, a rate limiter's sleep computed from the last
// call). Precision first: anything unclear counts as needing the lock.
import ts from "typescript";
import { receiverKey } from "../../ast/receivers";
import { calleeName, skipOuterExpressions } from "../../symbols";
import { forEachHeldNode, type CriticalSection } from "./sections";

const MUTATING_METHODS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "set", "add", "delete", "clear", "assign", "fill", "emit", "write", "resolve", "reject"]);

export interface SectionState {
  /** Names declared while the lock is held (and the callback's parameters). */
  locals: Set<string>;
  /** Access paths of state outside the section that it changes: `this.cache`, `counter`. */
  written: string[];
  /** Nodes that change memory outside the section, or call into the object synchronously (`this.update()`). */
  work: ts.Node[];
}

/** The state an expression reaches, an element standing for its collection: `this.cache[key]` → `this.cache`. */
export function accessPath(e: ts.Expression): string | undefined {
  return receiverKey(e, { throughElements: true });
}

function rootName(path: string): string {
  const dot = path.indexOf(".");
  return dot < 0 ? path : path.slice(0, dot);
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function isAssignment(n: ts.Node): n is ts.BinaryExpression {
  return ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

function declaredNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const el of name.elements) if (ts.isBindingElement(el)) declaredNames(el.name, into);
}

/** An initializer that makes a new value rather than reaching an existing object. */
function isFresh(init: ts.Expression): boolean {
  const e = skipOuterExpressions(init);
  return (
    ts.isObjectLiteralExpression(e) ||
    ts.isArrayLiteralExpression(e) ||
    ts.isNewExpression(e) ||
    ts.isAwaitExpression(e) ||
    ts.isLiteralExpression(e) ||
    ts.isTemplateExpression(e) ||
    ts.isBinaryExpression(e) ||
    (ts.isCallExpression(e) && /^(parse|structuredClone|from|map|filter|slice|concat|assign)$/.test(calleeName(e.expression) ?? ""))
  );
}

export function sectionState(section: CriticalSection): SectionState {
  const locals = new Set<string>();
  const written: string[] = [];
  const work: ts.Node[] = [];
  if (ts.isFunctionLike(section.root) && section.root === section.acquisition.callback) {
    for (const p of section.root.parameters) declaredNames(p.name, locals);
  }
  if (section.binding) locals.add(section.binding);
  // Locals that alias shared objects (`const user = users.get(id)`): writes through them change shared memory.
  const aliases = new Set<string>();
  forEachHeldNode(section, (n) => {
    if (ts.isVariableDeclaration(n) && n.getStart() >= section.start) {
      declaredNames(n.name, locals);
      if (ts.isIdentifier(n.name) && n.initializer && !isFresh(n.initializer)) aliases.add(n.name.text);
    } else if (ts.isFunctionLike(n) && n !== section.root) for (const p of n.parameters) declaredNames(p.name, locals);
  });
  const record = (target: ts.Expression, node: ts.Node): void => {
    const path = accessPath(target);
    if (path === undefined) return;
    const root = rootName(path);
    if (locals.has(root)) {
      if (aliases.has(root) && path !== root) work.push(node);
      return;
    }
    written.push(path);
    work.push(node);
  };
  forEachHeldNode(section, (n) => {
    if (isAssignment(n)) record(n.left, n);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) record(n.operand, n);
    else if (ts.isDeleteExpression(n)) record(n.expression, n);
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(skipOuterExpressions(n.expression))) {
      const callee = skipOuterExpressions(n.expression) as ts.PropertyAccessExpression;
      const name = calleeName(callee) ?? "";
      const receiver = skipOuterExpressions(callee.expression);
      if (MUTATING_METHODS.has(name)) record(receiver, n);
      // `this.update(x)` not awaited: a synchronous change to the object's state.
      else if (receiver.kind === ts.SyntaxKind.ThisKeyword && !ts.isAwaitExpression(n.parent)) work.push(n);
    }
  });
  return { locals, written, work };
}

/** Access paths and names an expression reads. */
function readPaths(e: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      const path = accessPath(n);
      if (path !== undefined) out.push(path);
      if (ts.isElementAccessExpression(n)) visit(n.argumentExpression);
      let inner: ts.Expression = n.expression;
      while (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
        if (ts.isElementAccessExpression(inner)) visit(inner.argumentExpression);
        inner = inner.expression;
      }
      if (!ts.isIdentifier(inner) && inner.kind !== ts.SyntaxKind.ThisKeyword) visit(inner);
      return;
    }
    if (ts.isIdentifier(n)) {
      out.push(n.text);
      return;
    }
    if (ts.isPropertyAssignment(n)) {
      visit(n.initializer);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return out;
}

/** The expression that consumes an await's result, past parentheses and casts. */
function consumerOf(node: ts.Expression): ts.Node {
  let n: ts.Node = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return n.parent;
}

function usedLater(section: CriticalSection, names: Set<string>, after: number): boolean {
  let used = false;
  forEachHeldNode(section, (n) => {
    if (!used && ts.isIdentifier(n) && n.getStart() > after && names.has(n.text) && !(ts.isVariableDeclaration(n.parent) && n.parent.name === n)) used = true;
  });
  return used;
}

/**
 * Whether the awaited work needs the lock: it reads what the section computed
 * or changes, or the section goes on to use its result.
 */
export function needsLock(section: CriticalSection, state: SectionState, awaited: ts.AwaitExpression): boolean {
  for (const path of readPaths(awaited.expression)) {
    if (state.locals.has(rootName(path))) return true;
    if (state.written.some((w) => overlaps(w, path))) return true;
  }
  const consumer = consumerOf(awaited);
  if (ts.isExpressionStatement(consumer) || ts.isVoidExpression(consumer)) return false;
  if (ts.isVariableDeclaration(consumer) && consumer.initializer !== undefined) {
    const names = new Set<string>();
    declaredNames(consumer.name, names);
    return usedLater(section, names, consumer.getEnd());
  }
  return true;
}
