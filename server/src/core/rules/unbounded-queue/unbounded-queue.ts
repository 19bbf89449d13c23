// unbounded-queue: a queue, stream buffer or subject that can grow without
// limit. Each kind has its own sign: an explicit `highWaterMark: Infinity`, a
// ReplaySubject without a buffer size, an it-pushable nobody measures, a task
// queue fed by an endless producer that never looks at the queue's size,
// `setMaxListeners(0)`, or a hand-written FIFO class with no capacity check.
import ts from "typescript";
import { unitMemo } from "../../ast/unit-memo";
import { enclosingClass } from "../../ast/class-fields";
import { enclosingFunction } from "../../ast/functions";
import { DEFAULT_ENQUEUE_METHODS, DEFAULT_SIZE_CHECKS, queueKind, type QueueType } from "../../catalogue/queues";
import { creationOf, isLoggingCall, isPlainCollection, isUnboundedNumber, onlyLogs, queueTypeCreatedBy } from "../../flow/collections";
import { receiverKey } from "../../ast/receivers";
import { isWithin, repetitionsAround, someDescendant, type Repetition } from "../../flow/repetition";
import { callsNamed, queueSites } from "../../flow/call-sites";
import type { FactKey } from "../../facts";
import type { Rule, RuleContext } from "../../rule";
import { calleeName, importBindingOf, resolveCallee, skipOuterExpressions } from "../../symbols";

export const unboundedQueue: Rule = {
  meta: {
    id: "unbounded-queue",
    description: "Queues, stream buffers and subjects that can grow without limit.",
    defaultSeverity: "warning",
    fixable: false,
    hazard: "queues",
    messages: {
      "high-water-mark": {
        text: "`{option}: {value}` turns off this stream's backpressure, so its buffer grows as fast as the producer writes. Use a finite high-water mark that bounds how much may wait in memory.",
        why: "so its buffer grows as fast as the producer writes",
        action: "Use a finite high-water mark that bounds how much may wait in memory",
      },
      "replay-subject": {
        text: "This ReplaySubject has no finite buffer size, so it keeps every value it ever emitted to replay to late subscribers and its memory grows without bound. Pass a buffer size, such as `new ReplaySubject(1)`, or a window time.",
        why: "so it keeps every value it ever emitted to replay to late subscribers and its memory grows without bound",
        action: "Pass a buffer size, such as `new ReplaySubject(1)`, or a window time",
      },
      "pushable-created": {
        text: "This {module} buffer has no limit: values pushed faster than they are read pile up in memory, and nothing here checks its `readableLength` or waits for `onEmpty()`. Check the length before pushing, or await `onEmpty()` when it grows.",
        why: "values pushed faster than they are read pile up in memory",
        action: "Check the length before pushing, or await `onEmpty()` when it grows",
      },
      "set-max-listeners": {
        text: "`setMaxListeners({limit})` removes the limit on listeners and with it Node's leak warning, so listeners added per request or per connection pile up unnoticed. Set a finite limit that fits the listeners you expect, and remove listeners when they are done.",
        why: "so listeners added per request or per connection pile up unnoticed",
        action: "Set a finite limit that fits the listeners you expect, and remove listeners when they are done",
      },
      "default-max-listeners": {
        text: "Setting `defaultMaxListeners` to {value} removes the listener limit of every emitter and with it Node's leak warning. Keep a finite default and raise the limit only on the emitters that need it.",
        why: "removes the listener limit of every emitter and with it Node's leak warning",
        action: "Keep a finite default and raise the limit only on the emitters that need it",
      },
      "pushable-fed": {
        text: "`{queue}.{method}()` runs for {producer} and nothing checks `{queue}.readableLength`, so values pile up in the pushable's unbounded buffer whenever its reader is slower. Await `{queue}.onEmpty()` when the length passes a limit.",
        why: "so values pile up in the pushable's unbounded buffer whenever its reader is slower",
        action: "Await `{queue}.onEmpty()` when the length passes a limit",
      },
      // p-queue can be awaited until it shrinks; the other work queues are measured with length().
      "p-queue-fed": {
        text: "`{queue}.{method}()` runs for {producer} and nothing checks the queue's size, so tasks pile up in memory whenever they arrive faster than the workers finish. Await `{queue}.onSizeLessThan(limit)` before adding, or pause the producer while the queue is full.",
        why: "so tasks pile up in memory whenever they arrive faster than the workers finish",
        action: "Await `{queue}.onSizeLessThan(limit)` before adding, or pause the producer while the queue is full",
      },
      "work-queue-fed": {
        text: "`{queue}.{method}()` runs for {producer} and nothing checks the queue's size, so tasks pile up in memory whenever they arrive faster than the workers finish. Check `{queue}.length()` before adding, or pause the producer while the queue is full.",
        why: "so tasks pile up in memory whenever they arrive faster than the workers finish",
        action: "Check `{queue}.length()` before adding, or pause the producer while the queue is full",
      },
      "queue-class": {
        text: "`this.{field}` is a queue with no capacity: one method pushes to it and another shifts from it, and nothing compares its length with a limit, so it grows without bound whenever items arrive faster than they are taken. Reject, drop or wait when it reaches a maximum size.",
        why: "so it grows without bound whenever items arrive faster than they are taken",
        action: "Reject, drop or wait when it reaches a maximum size",
      },
    },
  },
  check(file, context) {
    const sites = queueSites(file);
    for (const p of sites.highWaterMarks) checkHighWaterMark(p, context);
    for (const b of sites.defaultMaxListeners) checkDefaultMaxListeners(b, context);
    for (const c of sites.classes) checkQueueClass(c, context);
    for (const name of ["setMaxListeners", ...importedAliases(file, "setMaxListeners")]) {
      for (const call of callsNamed(sites, name)) checkSetMaxListeners(call, context);
    }
    const creatorNames = new Set(context.catalogue.queues.filter((q) => queueKind(q) !== "work").map((q) => q.name));
    for (const name of [...creatorNames]) for (const alias of importedAliases(file, name)) creatorNames.add(alias);
    for (const name of creatorNames) for (const node of sites.byName.get(name) ?? []) if (context.inScope(node)) checkCreation(node, context);
    const enqueueNames = new Set<string>();
    for (const q of context.catalogue.queues) for (const m of q.enqueue ?? DEFAULT_ENQUEUE_METHODS) enqueueNames.add(m);
    for (const name of enqueueNames) for (const call of callsNamed(sites, name)) if (context.inScope(call)) checkEnqueue(call, name, context);
  },
};

/** Local names under which the file imports `exported` (`import { x as y }`), for the syntactic pre-filter. */
function importedAliases(file: ts.SourceFile, exported: string): string[] {
  const out: string[] = [];
  for (const st of file.statements) {
    const bindings = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) if (el.propertyName?.text === exported) out.push(el.name.text);
  }
  return out;
}

function checkHighWaterMark(node: ts.PropertyAssignment, context: RuleContext): void {
  const name = node.name;
  if (!(ts.isIdentifier(name) || ts.isStringLiteral(name)) || !isUnboundedNumber(node.initializer)) return;
  context.report({
    node,
    messageId: "high-water-mark",
    data: { option: name.text, value: node.initializer.getText() },
  });
}

function checkCreation(node: ts.NewExpression | ts.CallExpression, context: RuleContext): void {
  const type = queueTypeCreatedBy(context.program, context.checker, context.catalogue.queues, node);
  if (!type) return;
  const kind = queueKind(type);
  if (kind === "replay") {
    const size = node.arguments?.[0];
    const unbounded = !size || isUnboundedNumber(size) || (ts.isIdentifier(size) && size.text === "undefined" && !node.arguments?.[1]);
    if (!unbounded) return;
    context.report({
      node,
      messageId: "replay-subject",
    });
  } else if (kind === "pushable") {
    if (isMeasured(node, type)) return;
    context.report({
      node,
      messageId: "pushable-created",
      data: { module: type.module },
    });
  }
}

/** The name a created value is stored under (`const q = …`, `this.q = …`, a class field). */
function storedUnder(node: ts.Expression): string | undefined {
  let e: ts.Node = node;
  while (e.parent && (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isAwaitExpression(e.parent))) e = e.parent;
  const p = e.parent;
  if (!p) return undefined;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyDeclaration(p) && (ts.isIdentifier(p.name) || ts.isPrivateIdentifier(p.name))) return `this.${p.name.text}`;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === e) return receiverKey(p.left);
  return undefined;
}

/** True when the file reads one of the queue's size members on the name the queue is stored under. */
function isMeasured(creation: ts.Expression, type: QueueType): boolean {
  const key = storedUnder(creation);
  // A queue handed straight to someone else is measured, or not, over there.
  if (key === undefined) return true;
  const checks = new Set(type.sizeChecks ?? DEFAULT_SIZE_CHECKS);
  // `this.x` names a field of this class only; a local name lives in its function.
  const scope = key.startsWith("this.") ? enclosingClass(creation) : enclosingFunction(creation);
  return someDescendant(scope ?? creation.getSourceFile(), (n) => ts.isPropertyAccessExpression(n) && checks.has(n.name.text) && receiverKey(n.expression) === key && !isInLoggingCheck(n));
}

/** Whether any analysed file declares its own `setMaxListeners` method. */
const PROJECT_SET_MAX_LISTENERS: FactKey<boolean> = {
  name: "project-declares-setMaxListeners",
  compute: (facts) => facts.files.some((f) => queueSites(f).methodNames.has("setMaxListeners")),
};

function checkSetMaxListeners(node: ts.CallExpression, context: RuleContext): void {
  // emitter.setMaxListeners(n) or events.setMaxListeners(n, ...targets)
  const limit = node.arguments[0];
  if (!limit || !isNoLimit(limit)) return;
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee) && !isOwnEmitter(context, callee.expression)) return;
  // Resolving the callee is only needed when the project declares a method of that name itself.
  if (context.facts.get(PROJECT_SET_MAX_LISTENERS)) {
    const ref = resolveCallee(context.program, context.checker, node.expression);
    if (ref?.origin === "project") return;
  }
  context.report({
    node,
    messageId: "set-max-listeners",
    data: { limit: limit.getText() },
  });
}

/**
 * True when this code made the emitter it lifts the limit of: `this` in its
 * own class, or a value it created (`new EventEmitter()`, a library's
 * factory). An emitter handed in (a caller's stream, one a helper passed
 * along) is lifted for the listeners this code adds to something it does not
 * own, whose lifetime its owner decides.
 */
function isOwnEmitter(context: RuleContext, receiver: ts.Expression): boolean {
  const e = skipOuterExpressions(receiver);
  if (e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isNewExpression(e)) return true;
  if (ts.isCallExpression(e)) return isLibraryFactory(context, e);
  // `events.setMaxListeners(0)`: the module's own function, whose default applies to every emitter.
  if (ts.isIdentifier(e) && importBindingOf(context.checker, e)?.module === "events") return true;
  const value = valueStoredIn(context.checker, e);
  if (!value) return !ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e);
  const made = skipOuterExpressions(value);
  return ts.isNewExpression(made) || (ts.isCallExpression(made) && isLibraryFactory(context, made));
}

function isLibraryFactory(context: RuleContext, call: ts.CallExpression): boolean {
  const origin = resolveCallee(context.program, context.checker, call.expression)?.origin;
  return origin === "dependency" || origin === "lib";
}

/** The value a name or `this.field` was first given: its initializer, or the constructor's assignment. */
function valueStoredIn(checker: ts.TypeChecker, e: ts.Expression): ts.Expression | undefined {
  if (ts.isIdentifier(e)) {
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    return decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  }
  const field = thisField(e);
  const cls = field !== undefined ? enclosingClass(e) : undefined;
  if (!cls || field === undefined) return undefined;
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && m.name.getText() === field && m.initializer) return m.initializer;
    if (!ts.isConstructorDeclaration(m) || !m.body) continue;
    for (const st of m.body.statements) {
      if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && thisField(st.expression.left) === field) return st.expression.right;
    }
  }
  return undefined;
}

function isNoLimit(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return (ts.isNumericLiteral(e) && Number(e.text) === 0) || isUnboundedNumber(e);
}

function checkDefaultMaxListeners(node: ts.BinaryExpression, context: RuleContext): void {
  if (!isNoLimit(node.right)) return;
  context.report({
    node,
    messageId: "default-max-listeners",
    data: { value: node.right.getText() },
  });
}

/**
 * A producer that never runs out by itself, as the syntax shows it: an async
 * stream, an open-ended `while` loop, an event handler, a fast timer.
 */
function obviousProducer(reps: readonly Repetition[]): Repetition | undefined {
  for (const r of reps) {
    if (r.kind === "handler" || r.kind === "interval") return r;
    if (r.kind !== "loop") continue;
    const loop = r.node;
    if (ts.isForOfStatement(loop) && loop.awaitModifier) return r;
    // `while (i < items.length)` walks an array; `while (await cursor.hasNext())` does not end by itself.
    if ((ts.isWhileStatement(loop) || ts.isDoStatement(loop)) && !someDescendant(loop.expression, (n) => ts.isPropertyAccessExpression(n) && n.name.text === "length")) return r;
    if (ts.isForStatement(loop) && !loop.condition) return r;
  }
  return undefined;
}

/** A loop over a lazy iterator (a generator, a cursor). Loops over arrays are bounded by the array, already in memory. */
function iteratorProducer(reps: readonly Repetition[], checker: ts.TypeChecker): Repetition | undefined {
  return reps.find((r) => r.kind === "loop" && ts.isForOfStatement(r.node) && isLazyIterator(checker, r.node.expression));
}

/** An iterator or generator rather than a collection: it yields as long as its source does. */
function isLazyIterator(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expr));
  if (type.flags & ts.TypeFlags.Any || checker.isArrayType(type) || checker.isTupleType(type)) return false;
  return type.getProperty("next") !== undefined && type.getProperty("size") === undefined && type.getProperty("length") === undefined;
}

function isAwaited(call: ts.Expression): boolean {
  let e: ts.Node = call;
  while (e.parent && ts.isParenthesizedExpression(e.parent)) e = e.parent;
  return !!e.parent && ts.isAwaitExpression(e.parent);
}

/** Methods that arrays, Sets and streams have too: only a queue's creation is evidence enough for them. */
const COMMON_METHODS = new Set(["push", "unshift", "add", "send", "put"]);

/**
 * The queue type a call adds to. Task queues are found through their creation
 * or their type; a pushable through its type only, where its creation is out
 * of sight (a parameter): a visible creation is judged where it happens.
 * `typeLookup` allows a checker call for common method names.
 */
function enqueuedQueueOf(node: ts.CallExpression, method: string, context: RuleContext, typeLookup: boolean): QueueType | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || isPlainCollection(callee.expression)) return undefined;
  const candidates = context.catalogue.queues.filter((q) => queueKind(q) !== "replay" && (q.enqueue ?? DEFAULT_ENQUEUE_METHODS).includes(method));
  if (candidates.length === 0) return undefined;
  const creation = creationOf(context.checker, callee.expression);
  if (creation) {
    const type = queueTypeCreatedBy(context.program, context.checker, context.catalogue.queues, creation);
    return type && queueKind(type) === "work" && (type.enqueue ?? DEFAULT_ENQUEUE_METHODS).includes(method) ? type : undefined;
  }
  // A queue that arrives as a parameter or property: its type says what it is, at the price of a checker call.
  if (COMMON_METHODS.has(method) && !(typeLookup && hasDeclaredType(callee.expression)) && !mayBeQueueNamed(callee.expression)) return undefined;
  const ref = resolveCallee(context.program, context.checker, callee);
  if (ref?.origin === "project") return undefined;
  // Without the library's typings, the parameter's annotation still names the import (`out: Pushable<T>`).
  const module = ref?.module ?? annotatedModule(context.checker, callee.expression);
  return module === undefined ? undefined : candidates.find((q) => q.module === module);
}

/**
 * A receiver declared with a named type (`out: Pushable<T>`, `private q: queueAsPromised<Job>`):
 * worth a checker call, unlike the many receivers whose type is inferred from a plain value.
 */
function hasDeclaredType(receiver: ts.Expression): boolean {
  const e = skipOuterExpressions(receiver);
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword ? e.name.text : undefined;
  if (name === undefined) return false;
  for (let n: ts.Node | undefined = e.parent; n; n = n.parent) {
    if (ts.isIdentifier(e) && ts.isFunctionLike(n)) {
      const p = n.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === name);
      if (p) return !!p.type && ts.isTypeReferenceNode(p.type);
    }
    if (!ts.isIdentifier(e) && ts.isClassLike(n)) {
      const m = n.members.find((x) => ts.isPropertyDeclaration(x) && x.name.getText() === name) as ts.PropertyDeclaration | undefined;
      return !!m?.type && ts.isTypeReferenceNode(m.type);
    }
  }
  return false;
}

/** The module whose import names the declared type of `receiver` (`queue: PQueue`, `out: Pushable<T>`). */
function annotatedModule(checker: ts.TypeChecker, receiver: ts.Expression): string | undefined {
  const e = skipOuterExpressions(receiver);
  const decl = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e)?.valueDeclaration : undefined;
  const type = decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  return importBindingOf(checker, type.typeName)?.module;
}

/** `queue`, `this.jobs`, `uploadQueue`: names worth a checker call when the creation is out of sight. */
function mayBeQueueNamed(receiver: ts.Expression): boolean {
  const e = skipOuterExpressions(receiver);
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  return name !== undefined && /queue|jobs|tasks|work|pool/i.test(name);
}

function checkEnqueue(node: ts.CallExpression, method: string, context: RuleContext): void {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || isAwaited(node)) return;
  // Cheap tests first: only an enqueue inside some repetition can be fed without end.
  const reps = repetitionsAround(node);
  if (reps.length === 0) return;
  const key = receiverKey(callee.expression);
  if (key === undefined) return;
  const obvious = obviousProducer(reps);
  const type = enqueuedQueueOf(node, method, context, obvious !== undefined);
  if (!type) return;
  const producer = obvious ?? iteratorProducer(reps, context.checker);
  if (!producer) return;
  const checks = new Set(type.sizeChecks ?? DEFAULT_SIZE_CHECKS);
  const scope: ts.Node = enclosingFunction(producer.node) ?? node.getSourceFile();
  const watched = someDescendant(scope, (n) => {
    if (ts.isPropertyAccessExpression(n) && checks.has(n.name.text) && receiverKey(n.expression) === key) return !isInLoggingCheck(n);
    // The producer pausing itself (a stream's pause()) bounds the queue as well.
    return ts.isCallExpression(n) && calleeName(n.expression) === "pause" && isWithin(n, producer.node);
  });
  if (watched) return;
  const data = { queue: key, method, producer: producerDescription(producer) };
  if (queueKind(type) === "pushable") {
    context.report({
      node,
      messageId: "pushable-fed",
      data,
      related: [{ node: producer.node, message: "the producer that keeps pushing" }],
    });
    return;
  }
  context.report({
    node,
    messageId: type.module === "p-queue" ? "p-queue-fed" : "work-queue-fed",
    data,
    related: [{ node: producer.node, message: "the producer that keeps adding" }],
  });
}

/** `if (queue.size > 100) log.warn("backlog", queue.size)`: a size read only to log it. */
function isInLoggingCheck(access: ts.Node): boolean {
  for (let n: ts.Node | undefined = access.parent; n && !ts.isStatement(n); n = n.parent) {
    if ((ts.isBinaryExpression(n) && onlyLogs(n)) || (ts.isCallExpression(n) && isLoggingCall(n))) return true;
  }
  return false;
}

function producerDescription(r: Repetition): string {
  if (r.kind === "handler") return r.event !== undefined ? `every '${r.event}' event` : "every event";
  if (r.kind === "interval") return "every tick of an interval";
  if (ts.isForOfStatement(r.node)) return r.node.awaitModifier ? "every item of an async stream" : "every item of an iterator";
  return "every turn of an open-ended loop";
}

// Hand-written FIFO classes.

interface FieldUse {
  pushes: { call: ts.CallExpression; method: ts.Node }[];
  shiftMethods: Set<ts.Node>;
  bounded: boolean;
}

/** Identifiers in the pushed value: `job`, or `method, fields, reply` of `{ method, fields, reply }`. */
function identifiersIn(expr: ts.Expression): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return out;
}

/**
 * The object doing the work itself: one of its own methods handed one of
 * `names`, or one of them made its current item (`this._command = cmd`).
 */
function doesWorkWith(root: ts.Node, names: ReadonlySet<string>): boolean {
  const mentions = (e: ts.Expression) => [...identifiersIn(e)].some((id) => names.has(id));
  return someDescendant(root, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) return thisField(n.left) !== undefined && mentions(n.right);
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || n.expression.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
    return n.arguments.some(mentions);
  });
}

/**
 * The overflow list of a limiter: where the push is the other branch of a
 * test that, when there is capacity, has the object do the work at once
 * (`if (canSend()) { this.send(req); return; } this.pending.push(req)`). It
 * holds only what arrives while the work is under way, and each entry is a
 * request its caller waits on. A hand-off to a waiting consumer
 * (`waiter(item)`) is no such work: the items then pile up for consumers.
 */
function isOverflowPush(call: ts.CallExpression, method: ts.Node): boolean {
  const pushed = call.arguments[0];
  if (!pushed) return false;
  const names = identifiersIn(pushed);
  if (names.size === 0) return false;
  let child: ts.Node = call;
  for (let n = call.parent; n && n !== method; child = n, n = n.parent) {
    if (!ts.isIfStatement(n)) continue;
    const other = child === n.thenStatement ? n.elseStatement : child === n.elseStatement ? n.thenStatement : undefined;
    if (other && doesWorkWith(other, names)) return true;
  }
  // `if (free) { this.run(x); return; }` earlier in a block around the push.
  return statementsBefore(call, method).some((st) => ts.isIfStatement(st) && !st.elseStatement && endsInExit(st.thenStatement) && doesWorkWith(st.thenStatement, names));
}

/** The statements that run before `node` in each block around it, up to `method`. */
function statementsBefore(node: ts.Node, method: ts.Node): ts.Statement[] {
  const out: ts.Statement[] = [];
  let child: ts.Node = node;
  for (let n = node.parent; n && n !== method; child = n, n = n.parent) {
    if (!ts.isBlock(n)) continue;
    for (const st of n.statements) {
      if (st.pos >= child.pos) break;
      out.push(st);
    }
  }
  return out;
}

function endsInExit(st: ts.Statement): boolean {
  const last = ts.isBlock(st) ? st.statements[st.statements.length - 1] : st;
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/**
 * A consumer that takes the next item only while a counter is under a limit
 * (`if (this.pending === this.concurrency) return;`): a concurrency limiter,
 * whose list holds the work waiting for a slot.
 */
function comparesCounterWithLimit(method: ts.Node, field: string): boolean {
  return someDescendant(method, (n) => {
    if (!ts.isBinaryExpression(n) || !COMPARISONS.has(n.operatorToken.kind)) return false;
    const sides = [skipOuterExpressions(n.left), skipOuterExpressions(n.right)];
    return sides.every((s) => thisField(s) !== undefined && thisField(s) !== field);
  });
}

/** `this.bytes += size(item)` beside the push and `-=` beside the shift: the class keeps the queue's size for its callers to read. */
function accountedFields(method: ts.Node, operator: ts.SyntaxKind): Set<string> {
  const out = new Set<string>();
  someDescendant(method, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === operator) {
      const f = thisField(n.left);
      if (f !== undefined) out.add(f);
    }
    return false;
  });
  return out;
}

function isAccounted(pushMethod: ts.Node, shiftMethods: ReadonlySet<ts.Node>): boolean {
  const added = accountedFields(pushMethod, ts.SyntaxKind.PlusEqualsToken);
  if (added.size === 0) return false;
  return [...shiftMethods].some((m) => [...accountedFields(m, ts.SyntaxKind.MinusEqualsToken)].some((f) => added.has(f)));
}

const DEDUPLICATION_CHECKS = new Set(["includes", "indexOf"]);

/** `this.name` or `this.#name` as a field name, else undefined. */
function thisField(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return e.name.text;
  return undefined;
}

/** `queue` bound by `const { queue } = this`: the field under a local name. */
function destructuredField(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (!ts.isIdentifier(e)) return undefined;
  for (let n: ts.Node | undefined = e.parent; n && !ts.isClassLike(n); n = n.parent) {
    if (!ts.isBlock(n)) continue;
    for (const st of n.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(d.name) || !d.initializer || skipOuterExpressions(d.initializer).kind !== ts.SyntaxKind.ThisKeyword) continue;
        const el = d.name.elements.find((b) => ts.isIdentifier(b.name) && b.name.text === e.text);
        if (el) return ((el.propertyName ?? el.name) as ts.Identifier).text;
      }
    }
  }
  return undefined;
}

function isEmptyArray(expr: ts.Expression | undefined): boolean {
  if (!expr) return false;
  const e = skipOuterExpressions(expr);
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 0;
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Array" && (e.arguments?.length ?? 0) === 0;
}

/** Fields that start as an empty array: declared `x = []` or assigned `this.x = []` in the constructor. */
function arrayFields(cls: ts.ClassLikeDeclaration): Set<string> {
  const out = new Set<string>();
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) && isEmptyArray(m.initializer)) out.add(m.name.text);
    if (ts.isConstructorDeclaration(m) && m.body) {
      for (const st of m.body.statements) {
        if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const name = thisField(st.expression.left);
        if (name !== undefined && isEmptyArray(st.expression.right)) out.add(name);
      }
    }
  }
  return out;
}

/**
 * Fields that only ever hold a fresh, empty container, wherever the class
 * (re)sets them: `this.offlineQueue = new Deque()` in a `resetOfflineQueue()`
 * method, with a library's FIFO the checker may know nothing about. Pushing
 * to one and shifting from it makes it a queue as much as an array is.
 */
function resetContainerFields(cls: ts.ClassLikeDeclaration): Set<string> {
  const allEmpty = new Map<string, boolean>();
  for (const member of cls.members) for (const [field, empty] of fieldAssignments(member)) allEmpty.set(field, (allEmpty.get(field) ?? true) && empty);
  return new Set([...allEmpty].filter(([, empty]) => empty).map(([field]) => field));
}

/** The fields a class member assigns (`this.x = …`), each with whether every value it assigns there is a fresh empty container. */
const fieldAssignments = unitMemo((member) => {
  const allEmpty = new Map<string, boolean>();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const field = thisField(n.left);
      if (field !== undefined) allEmpty.set(field, (allEmpty.get(field) ?? true) && isEmptyContainer(n.right));
    }
    // A nested class's fields are its own.
    if (!ts.isClassLike(n)) ts.forEachChild(n, visit);
  };
  visit(member);
  return allEmpty;
});

function isEmptyContainer(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return isEmptyArray(e) || (ts.isNewExpression(e) && (e.arguments?.length ?? 0) === 0);
}

/**
 * A push that records work already handed to I/O: the block wrote the pushed
 * value to a stream or socket just before (`stream.write(command.toWritable())`
 * then `this.commandQueue.push({ command })`). The entry waits for its reply;
 * the list is the requests in flight, drained as the replies arrive.
 */
function isInFlightPush(call: ts.CallExpression, method: ts.Node): boolean {
  const pushed = call.arguments[0];
  if (!pushed) return false;
  const names = identifiersIn(pushed);
  return statementsBefore(call, method).some((st) => someDescendant(st, (x) => ts.isCallExpression(x) && IO_WRITES.has(calleeName(x.expression) ?? "") && x.arguments.some((a) => [...identifiersIn(a)].some((id) => names.has(id)))));
}

const IO_WRITES = new Set(["write", "send"]);

/**
 * A push only while the class has paused its source (`if (this._paused)
 * this._pausedPackets.push(packet)`, where `pause()` sets the flag and calls
 * `this.stream.pause()`): it holds what was already read when the source
 * stopped, and `resume()` drains it before the source flows again.
 */
function isPausedSourcePush(call: ts.CallExpression, cls: ts.ClassLikeDeclaration): boolean {
  const flags = new Set<string>();
  for (let n = call.parent; n && n !== cls; n = n.parent) {
    if (!ts.isIfStatement(n) || !isWithin(call, n.thenStatement)) continue;
    const field = thisField(n.expression);
    if (field !== undefined) flags.add(field);
  }
  if (flags.size === 0) return false;
  return cls.members.some((m) => [...pausingFlags(m)].some((flag) => flags.has(flag)));
}

/** The fields a class member sets to `true` where it also pauses a source (`this._paused = true; this.stream.pause()`); none where it pauses nothing. */
const pausingFlags = unitMemo((member) => {
  const pauses = someDescendant(member, (n) => ts.isCallExpression(n) && calleeName(n.expression) === "pause" && ts.isPropertyAccessExpression(n.expression));
  const flags = new Set<string>();
  if (!pauses) return flags;
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuterExpressions(n.right).kind === ts.SyntaxKind.TrueKeyword) {
      const field = thisField(n.left);
      if (field !== undefined) flags.add(field);
    }
    ts.forEachChild(n, visit);
  };
  visit(member);
  return flags;
});

/**
 * A container class that hands the queue's size to its callers
 * (`numQueued() { return this.queue.length; }`): the code that fills it
 * through the class is the code that can bound it.
 */
function exposesLength(cls: ts.ClassLikeDeclaration, field: string): boolean {
  return someDescendant(cls, (n) => ts.isReturnStatement(n) && !!n.expression && someDescendant(n.expression, (x) => ts.isPropertyAccessExpression(x) && x.name.text === "length" && thisField(x.expression) === field));
}

/**
 * A push made by a waiter (inside a `new Promise` executor, or pushing a
 * resolve function): the producer waits for its turn, so the array holds at
 * most one entry per caller that is already waiting.
 */
function isWaiterPush(call: ts.CallExpression): boolean {
  for (let n: ts.Node | undefined = call.parent; n && !ts.isClassLike(n); n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parent && ts.isNewExpression(n.parent) && ts.isIdentifier(n.parent.expression) && n.parent.expression.text === "Promise") return true;
  }
  const arg = call.arguments[0];
  if (!arg) return false;
  // `{ packet, cb }`: data to deliver later, with the callback that reports its delivery. The
  // producer does not wait for it (an offline queue fills while the connection is down).
  const value = skipOuterExpressions(arg);
  if (ts.isObjectLiteralExpression(value) && value.properties.some((p) => !isCallbackProperty(p))) return false;
  // A resolver or a deferred callback: whoever pushed it is waiting for it to be called.
  const text = arg.getText();
  return /\b(resolve|resolver|reject|waiter|deferred|cb|callback|fn|next|done|listener)\b/i.test(text);
}

const CALLBACK_NAME = /^(resolve|resolver|reject|waiter|deferred|cb|callback|fn|next|done|listener)$/i;

function isCallbackProperty(p: ts.ObjectLiteralElementLike): boolean {
  const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
  return name !== undefined && CALLBACK_NAME.test(name);
}

const COMPARISONS = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken]);

/** `this.f.length` compared with something that is not an emptiness test (0 or 1). */
function boundCheckedField(node: ts.BinaryExpression): string | undefined {
  if (!COMPARISONS.has(node.operatorToken.kind)) return undefined;
  for (const [side, other] of [[node.left, node.right], [node.right, node.left]] as const) {
    const s = skipOuterExpressions(side);
    if (!ts.isPropertyAccessExpression(s) || s.name.text !== "length") continue;
    const field = thisField(s.expression);
    if (field === undefined) continue;
    const o = skipOuterExpressions(other);
    if (ts.isNumericLiteral(o) && Number(o.text) <= 1) continue;
    if (onlyLogs(node)) continue;
    return field;
  }
  return undefined;
}


function methodOf(node: ts.Node, cls: ts.ClassLikeDeclaration): ts.Node | undefined {
  let child: ts.Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) if (n === cls) return child;
  return undefined;
}

function checkQueueClass(cls: ts.ClassLikeDeclaration, context: RuleContext): void {
  const fields = new Set([...arrayFields(cls), ...resetContainerFields(cls)]);
  if (fields.size === 0) return;
  const uses = new Map<string, FieldUse>();
  const useOf = (f: string) => {
    let u = uses.get(f);
    if (!u) uses.set(f, (u = { pushes: [], shiftMethods: new Set(), bounded: false }));
    return u;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const field = thisField(n.expression.expression) ?? destructuredField(n.expression.expression);
      const method = methodOf(n, cls);
      if (field !== undefined && fields.has(field) && method) {
        const name = n.expression.name.text;
        if (name === "push" && !isWaiterPush(n) && !isOverflowPush(n, method) && !isInFlightPush(n, method) && !isPausedSourcePush(n, cls)) useOf(field).pushes.push({ call: n, method });
        else if (name === "shift") useOf(field).shiftMethods.add(method);
        // A work list that refuses items it already holds is bounded by the number of distinct items.
        else if (DEDUPLICATION_CHECKS.has(name)) useOf(field).bounded = true;
      }
    } else if (ts.isBinaryExpression(n)) {
      const field = boundCheckedField(n);
      if (field !== undefined) useOf(field).bounded = true;
    }
    // Nested classes are checked on their own.
    if (!ts.isClassLike(n) || n === cls) ts.forEachChild(n, visit);
  };
  visit(cls);
  for (const [field, use] of uses) {
    if (use.bounded || use.shiftMethods.size === 0 || exposesLength(cls, field)) continue;
    if ([...use.shiftMethods].some((m) => comparesCounterWithLimit(m, field))) continue;
    const producer = use.pushes.find((p) => !use.shiftMethods.has(p.method) && !isAccounted(p.method, use.shiftMethods));
    if (!producer) continue;
    const consumer = [...use.shiftMethods][0];
    context.report({
      node: producer.call,
      messageId: "queue-class",
      data: { field },
      related: [{ node: consumer, message: `\`this.${field}\` is consumed here` }],
    });
  }
}
