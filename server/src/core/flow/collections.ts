// Recognises queues: which catalogue entry a `new X()` or `x()` creates, and
// where a receiver such as `queue` or `this.queue` was created. Shared by the
// queue and backpressure rules, with which collections are written out in the
// code (a loop over those cannot grow).
import ts from "typescript";
import { thisFieldValues } from "../ast/class-fields";
import { enclosingFunction } from "../ast/functions";
import type { QueueType } from "../catalogue";
import { calleeName, importBindingOf, resolveCallee, skipOuterExpressions, normaliseModule, requireSpecifier } from "../symbols";

/** `require("m")` as a callee or a callee's object: the module it loads. */
function requiredModule(expr: ts.Expression): string | undefined {
  const specifier = requireSpecifier(expr);
  return specifier === undefined ? undefined : normaliseModule(specifier);
}

function declaredName(decl: ts.Declaration | undefined): string | undefined {
  const name = decl && ts.getNameOfDeclaration(decl);
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

/** What a callee (of a `new` or a call) is, as a module and the names it may be listed under. */
export function calleeIdentity(program: ts.Program, checker: ts.TypeChecker, callee: ts.Expression): { module: string; names: string[] } | undefined {
  const direct = requiredModule(callee);
  if (direct !== undefined) return { module: direct, names: ["default"] };
  const e = skipOuterExpressions(callee);
  if (ts.isPropertyAccessExpression(e)) {
    const m = requiredModule(e.expression);
    if (m !== undefined) return { module: m, names: [e.name.text] };
  }
  // `const pushable = require("it-pushable"); pushable()`: the module itself is called.
  if (ts.isIdentifier(e)) {
    const binding = importBindingOf(checker, e);
    if (binding?.exportName === "*") return { module: binding.module, names: ["default"] };
  }
  const ref = resolveCallee(program, checker, callee);
  if (!ref || ref.module === undefined) return undefined;
  const names = [ref.name];
  const declared = declaredName(ref.declaration);
  if (declared !== undefined && declared !== ref.name) names.push(declared);
  return { module: ref.module, names };
}

/** The catalogue entry that a `new X(...)` or `x(...)` creates, if any. */
export function queueTypeCreatedBy(program: ts.Program, checker: ts.TypeChecker, queues: readonly QueueType[], creation: ts.NewExpression | ts.CallExpression): QueueType | undefined {
  const id = calleeIdentity(program, checker, creation.expression);
  if (!id) return undefined;
  // `rxjs/internal/ReplaySubject` is still rxjs's ReplaySubject; a default export is only ever the module's own.
  const sameModule = (q: QueueType) => q.module === id.module || (q.name !== "default" && id.module.startsWith(`${q.module}/`));
  return queues.find((q) => sameModule(q) && id.names.includes(q.name));
}

/** The `new`/call expression an initializer or assigned value boils down to (`await` and parentheses removed). */
function creationIn(expr: ts.Expression | undefined): ts.NewExpression | ts.CallExpression | undefined {
  if (!expr) return undefined;
  let e = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  return ts.isNewExpression(e) || ts.isCallExpression(e) ? e : undefined;
}

/** The class member `name` of the class around `node`: its initializer, or what the constructor assigns to `this.name`. */
function classFieldCreation(node: ts.Node, name: string): ts.NewExpression | ts.CallExpression | undefined {
  for (const value of thisFieldValues(node, name)) {
    const c = creationIn(value);
    if (c) return c;
  }
  return undefined;
}

/**
 * Where a receiver (`queue`, `this.queue`) was created: the `new` or call in
 * its declaration, or in the class field or constructor assignment.
 */
export function creationOf(checker: ts.TypeChecker, receiver: ts.Expression): ts.NewExpression | ts.CallExpression | undefined {
  const e = skipOuterExpressions(receiver);
  if (ts.isIdentifier(e)) {
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl)) return creationIn(decl.initializer);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return classFieldCreation(e, e.name.text);
  return undefined;
}

/** The identifier a receiver chain starts from (`a` in `a.b.c`), or `this`. */
export function rootOf(expr: ts.Expression): ts.Expression {
  let e = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) e = skipOuterExpressions(e.expression);
  return e;
}

/** True for `Infinity`, `Number.POSITIVE_INFINITY` and `Number.MAX_SAFE_INTEGER`/`MAX_VALUE`: no bound at all. */
export function isUnboundedNumber(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (ts.isIdentifier(e)) return e.text === "Infinity";
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Number") {
    return e.name.text === "POSITIVE_INFINITY" || e.name.text === "MAX_SAFE_INTEGER" || e.name.text === "MAX_VALUE";
  }
  return false;
}

const COLLECTION_TYPES = /^(Readonly)?(Array|Set|Map|WeakSet|WeakMap)$/;
const ARRAY_PRODUCERS = /^(map|filter|slice|concat|split|flat|flatMap|from|keys|values|entries|match|sort|reverse)$/;

function looksLikeCollection(type: ts.TypeNode | undefined, init: ts.Expression | undefined): boolean {
  if (type && (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type) || (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && COLLECTION_TYPES.test(type.typeName.text)))) return true;
  const i = init && skipOuterExpressions(init);
  if (!i) return false;
  if (ts.isArrayLiteralExpression(i)) return true;
  if (ts.isNewExpression(i)) return ts.isIdentifier(i.expression) && COLLECTION_TYPES.test(i.expression.text);
  if (!ts.isCallExpression(i)) return false;
  const name = calleeName(i.expression) ?? "";
  // `from` makes an array on `Array` only: `Readable.from(…)` is a stream.
  if (name === "from") return ts.isPropertyAccessExpression(i.expression) && ts.isIdentifier(i.expression.expression) && i.expression.expression.text === "Array";
  return ARRAY_PRODUCERS.test(name);
}

/**
 * True when a receiver is declared, in plain sight, as an array, Set or Map
 * (`const rows = []`, `seen: Set<string>`, a class field `= []`, `let rows`
 * and only ever `rows = []` or `rows = null`, `groups[key] = []` for `groups[key]`). Syntactic,
 * so that the many `push` and `add` calls on collections cost no checker call:
 * in untyped code the type of such a variable comes from a flow analysis of
 * the whole function, which costs milliseconds on a long one.
 */
export function isPlainCollection(receiver: ts.Expression): boolean {
  const e = skipOuterExpressions(receiver);
  if (ts.isIdentifier(e)) {
    const name = e.text;
    for (let n: ts.Node | undefined = e.parent; n; n = n.parent) {
      if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n)) {
        for (const st of n.statements) {
          if (!ts.isVariableStatement(st)) continue;
          for (const d of st.declarationList.declarations) {
            if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
            if (d.type === undefined && (d.initializer === undefined || isNothing(d.initializer))) return onlyAssignedCollections(n, (left) => ts.isIdentifier(left) && left.text === name);
            return looksLikeCollection(d.type, d.initializer);
          }
        }
      }
      if (ts.isFunctionLike(n)) {
        const p = n.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === name);
        if (p) return looksLikeCollection(p.type, p.initializer);
      }
    }
    return false;
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const name = e.name.text;
    for (let n: ts.Node | undefined = e.parent; n; n = n.parent) {
      if (!ts.isClassLike(n)) continue;
      for (const m of n.members) {
        if (ts.isPropertyDeclaration(m) && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) && m.name.text === name) return looksLikeCollection(m.type, m.initializer);
        if (ts.isConstructorDeclaration(m) && m.body) {
          for (const st of m.body.statements) {
            if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
            const left = st.expression.left;
            if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) return looksLikeCollection(undefined, st.expression.right);
          }
        }
      }
      return false;
    }
  }
  if (ts.isElementAccessExpression(e)) {
    let outermost = enclosingFunction(e);
    for (let fn = outermost; fn !== undefined; fn = enclosingFunction(fn)) outermost = fn;
    const [base, key] = [e.expression.getText(), e.argumentExpression.getText()];
    return outermost?.body !== undefined && onlyAssignedCollections(outermost.body, (left) => ts.isElementAccessExpression(left) && left.argumentExpression.getText() === key && left.expression.getText() === base);
  }
  return false;
}

/** `({ out } = make())`, `[out] = pair`, `for (out of …)`: a destructuring target that assigns what `matches`. */
function assignsWithin(target: ts.Node, matches: (left: ts.Expression) => boolean): boolean {
  if (ts.isExpression(target) && matches(skipOuterExpressions(target))) return true;
  if (!ts.isObjectLiteralExpression(target) && !ts.isArrayLiteralExpression(target) && !ts.isShorthandPropertyAssignment(target) && !ts.isPropertyAssignment(target) && !ts.isSpreadElement(target) && !ts.isSpreadAssignment(target) && !ts.isBinaryExpression(target)) return false;
  let found = false;
  ts.forEachChild(target, (child) => {
    if (!found && assignsWithin(child, matches)) found = true;
  });
  return found;
}

function isNothing(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === "undefined") || ts.isVoidExpression(e);
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken]);

/**
 * Whether `scope` assigns a collection to what `matches`, and nothing else
 * but `null` or `undefined` (a push on those would throw, so where a push runs
 * it is the collection).
 */
function onlyAssignedCollections(scope: ts.Node, matches: (left: ts.Expression) => boolean): boolean {
  let assigned = false;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind)) {
      const left = skipOuterExpressions(node.left);
      if (matches(left)) {
        if (looksLikeCollection(undefined, node.right)) assigned = true;
        else if (!isNothing(node.right)) other = true;
      } else if (assignsWithin(left, matches)) other = true;
    }
    // `for (out of streams)`: each turn assigns an element.
    if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer) && assignsWithin(node.initializer, matches)) other = true;
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return assigned && !other;
}

const LOGGING = new Set(["log", "warn", "info", "debug", "error", "trace"]);

/** `if (q.length > 1000) console.warn(…)`: a check whose only consequence is a log line bounds nothing. */
export function onlyLogs(comparison: ts.Expression): boolean {
  let e: ts.Node = comparison;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || (ts.isBinaryExpression(e.parent) && e.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken))) e = e.parent;
  const ifStatement = e.parent;
  if (!ifStatement || !ts.isIfStatement(ifStatement) || ifStatement.expression !== e || ifStatement.elseStatement) return false;
  const statements = ts.isBlock(ifStatement.thenStatement) ? ifStatement.thenStatement.statements : [ifStatement.thenStatement];
  return statements.length > 0 && statements.every((st) => ts.isExpressionStatement(st) && isLoggingCall(st.expression));
}

/** `console.warn(…)`, `logger.info(…)`, `log(…)`. */
export function isLoggingCall(expr: ts.Expression): boolean {
  return ts.isCallExpression(expr) && LOGGING.has(calleeName(expr.expression) ?? "");
}

/**
 * True when a collection's elements are written out in the code: an array
 * literal, a tuple, `"a b".split(" ")`, the keys of an object literal, or a
 * const bound to one. Stricter than the unbounded-fanout rule's `isBoundedCollection`: a chunk or a
 * batch bounds how many run at once, not how much one loop writes.
 */
export function isLiteralCollection(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): boolean {
  if (depth > 3) return false;
  const e = skipOuterExpressions(expr);
  if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && e.elements.every((el) => !ts.isSpreadElement(el));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const owner = skipOuterExpressions(e.expression.expression);
    const name = e.expression.name.text;
    if (name === "split") return ts.isStringLiteralLike(owner);
    if (ts.isIdentifier(owner) && owner.text === "Object" && (name === "keys" || name === "values" || name === "entries")) {
      return e.arguments.length === 1 && isObjectLiteralValue(checker, e.arguments[0], 0);
    }
    return false;
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(checker, e);
    if (init && isLiteralCollection(checker, init, depth + 1)) return true;
  }
  // JavaScript infers arrays, not tuples (only a JSDoc annotation makes one), and inferring the
  // type of what a loop iterates there can mean checking a whole class: not worth it on every edit.
  if (isJavaScript(e.getSourceFile())) return false;
  return checker.isTupleType(checker.getTypeAtLocation(e));
}

function isJavaScript(file: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/i.test(file.fileName);
}

export function isObjectLiteralValue(checker: ts.TypeChecker, expr: ts.Expression, depth: number): boolean {
  const e = skipOuterExpressions(expr);
  // Spread in from elsewhere (`{ ...manifest.dependencies }`), its keys are no longer known.
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => !ts.isSpreadAssignment(p));
  const init = ts.isIdentifier(e) ? constInitializer(checker, e) : undefined;
  return !!init && depth < 3 && isObjectLiteralValue(checker, init, depth + 1);
}

/** The initializer of a `const` the identifier names. */
export function constInitializer(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | undefined {
  const decl = checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  return ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const ? decl.initializer : undefined;
}
