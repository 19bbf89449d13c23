// What is a lock, and where is one taken. A call takes a lock when it resolves
// to a catalogued library method (async-mutex, async-lock, await-lock,
// navigator.locks, proper-lockfile, redlock, configured extras), or when its
// receiver is shaped like a lock: an `acquire()` that resolves to a release
// function or a handle, or one whose object has a `release()`. Types decide
// where the checker has them; untyped JavaScript falls back to the names of
// the receiver and of the release calls in the same function.
import * as ts from "typescript";
import type { Catalogue } from "../../catalogue";
import type { AcquireStyle, GuardedResource, LockMethod, LockType } from "../../catalogue/locks";
import { calleeName, importBindingOf, isPromiseLike, resolveCallee, resolveAlias, skipOuterExpressions, type CalleeRef } from "../../symbols";

/** Names of calls that can take a lock: the syntactic pre-filter before any checker call. */
export const ACQUIRE_NAMES: ReadonlySet<string> = new Set(["acquire", "aquire", "acquireAsync", "acquireLock", "acquireMutex", "runExclusive", "lock", "lockAsync", "lockSync", "request", "using"]);

/** Names of methods that give a lock back, on the lock or on a handle. */
export const RELEASE_NAMES: ReadonlySet<string> = new Set(["release", "unlock", "releaseLock", "releaseMutex", "unlockSync"]);

/** Receiver names that make an untyped `x.acquire()` a lock rather than a pool or a connection. */
const LOCK_LIKE_NAME = /lock|mutex|semaphore|latch|sema$|critical/i;

export interface LockIdentity {
  /** Equal for two expressions that name the same lock. */
  key: string;
  /** How the source names it, for messages: `this.mutex`, `lock "users"`. */
  label: string;
  /** Comparable across functions: a module variable, a class field, a literal lock name. */
  global: boolean;
  /** Where the lock object is declared, when known: its construction tells a one-permit semaphore. */
  declaration: ts.Node | undefined;
}

export interface Acquisition {
  call: ts.CallExpression;
  /** The node diagnostics point at: the call, or only its callee when a callback follows. */
  anchor: ts.Node;
  lock: LockIdentity;
  style: AcquireStyle;
  /** Holds the thread (a `lockSync`, an Atomics lock): no await may happen while it is held. */
  sync: boolean;
  /** Taking it again while held does not deadlock. */
  reentrant: boolean;
  /** A semaphore with several permits: it bounds how many run the work, so holding it across the work is its purpose. */
  counting: boolean;
  guards: GuardedResource;
  /** The receiver of the acquiring call (`this.mutex` in `this.mutex.acquire()`). */
  receiver: ts.Expression | undefined;
  /** The argument that names the lock within its object (async-lock key, file path). */
  keyArgument: ts.Expression | undefined;
  /** The function that runs while the lock is held, for `callback` acquisitions. */
  callback: ts.ArrowFunction | ts.FunctionExpression | undefined;
  /** Methods that release, on the lock (`release-method`) or on the handle (`handle`). */
  releaseMethods: readonly string[];
  releaseInTuple: boolean;
  /** Resolved through the catalogue rather than by shape. */
  known: boolean;
}

export interface DetectContext {
  program: ts.Program;
  checker: ts.TypeChecker;
  catalogue: Catalogue;
}

export function isFunctionArgument(e: ts.Expression | undefined): e is ts.ArrowFunction | ts.FunctionExpression {
  if (!e) return false;
  const s = skipOuterExpressions(e);
  return ts.isArrowFunction(s) || ts.isFunctionExpression(s);
}

function unwrapFunction(e: ts.Expression): ts.ArrowFunction | ts.FunctionExpression {
  return skipOuterExpressions(e) as ts.ArrowFunction | ts.FunctionExpression;
}

function catalogueEntry(ref: CalleeRef | undefined, catalogue: Catalogue, name: string): LockType | undefined {
  if (!ref) return undefined;
  const module = ref.origin === "lib" ? "lib" : ref.module;
  if (module === undefined) return undefined;
  return catalogue.locks.find((l) => l.module === module && (l.name === ref.owner || (ref.owner === undefined && (l.name === ref.name || l.name === name))));
}

/** The expression a lock object was created with: a variable's initializer, or the field's (or constructor's `this.x = …`). */
export function initializerOf(checker: ts.TypeChecker, receiver: ts.Expression): ts.Expression | undefined {
  const e = skipOuterExpressions(receiver);
  const node = ts.isPropertyAccessExpression(e) ? e.name : ts.isIdentifier(e) ? e : undefined;
  const decl = node && checker.getSymbolAtLocation(node)?.valueDeclaration;
  if (!decl) return undefined;
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) return decl.initializer;
  if (ts.isBinaryExpression(decl)) return decl.right;
  if (ts.isPropertyAccessExpression(decl) && ts.isBinaryExpression(decl.parent)) return decl.parent.right;
  return undefined;
}

/**
 * Untyped code: the catalogue entry of the class the lock object was constructed from,
 * read from the import of `new Redlock(…)` / `withTimeout(new Mutex())`.
 */
function constructedFrom(ctx: DetectContext, receiver: ts.Expression | undefined): LockType | undefined {
  const init = receiver && initializerOf(ctx.checker, receiver);
  const construction = init && findNew(init);
  if (!construction) return undefined;
  const callee = skipOuterExpressions(construction.expression);
  const id = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
  const binding = id && importBindingOf(ctx.checker, id);
  if (!binding) return undefined;
  const exported = ts.isPropertyAccessExpression(callee) ? callee.name.text : binding.exportName;
  const candidates = ctx.catalogue.locks.filter((l) => l.module === binding.module);
  return candidates.find((l) => l.name === exported) ?? (exported === "default" || exported === "*" ? candidates.find((l) => l.acquire !== undefined) : undefined);
}

/** The awaited type of a promise type (`Promise<() => void>` → `() => void`). */
function awaitedType(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  return checker.getAwaitedType(type) ?? type;
}

/** A method `release()`/`unlock()` callable without arguments: a lock's, not a pool's `release(resource)`. */
function releaseMethodsOf(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string[] {
  const names: string[] = [];
  for (const name of RELEASE_NAMES) {
    const prop = type.getProperty(name);
    if (!prop) continue;
    const signatures = checker.getTypeOfSymbolAtLocation(prop, at).getCallSignatures();
    if (signatures.some((s) => s.getParameters().every((p) => isOptionalParameter(p)))) names.push(name);
  }
  return names;
}

function isOptionalParameter(p: ts.Symbol): boolean {
  const decl = p.valueDeclaration;
  return decl !== undefined && ts.isParameter(decl) && (decl.questionToken !== undefined || decl.initializer !== undefined || decl.dotDotDotToken !== undefined);
}

function hasCallSignatures(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some((t) => t.getCallSignatures().length > 0);
  return type.getCallSignatures().length > 0;
}

/** A tuple `[value, release]` whose second element is a function (a semaphore's acquire). */
function isReleaseTuple(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (!checker.isTupleType(type)) return false;
  const args = checker.getTypeArguments(type as ts.TypeReference);
  return args.length === 2 && hasCallSignatures(args[1]);
}

/** Whether the declaration body takes a thread lock: Atomics-based locks hold the thread, not a turn on the event loop. */
function usesAtomics(decl: ts.Declaration | undefined): boolean {
  if (!decl || !ts.isFunctionLike(decl)) return false;
  const body = (decl as ts.FunctionLikeDeclaration).body;
  return body !== undefined && /\bAtomics\s*\.\s*(wait|compareExchange)\b/.test(body.getText());
}

interface Shape {
  style: AcquireStyle;
  sync: boolean;
  releaseMethods: string[];
  releaseInTuple: boolean;
  callbackIndex?: number;
  /** Released by passing the acquire's key argument back. */
  keyed?: boolean;
}

/** Decides by the types whether `receiver.name(...)` takes a lock, and how it is given back. */
function shapeByType(ctx: DetectContext, call: ts.CallExpression, name: string, receiver: ts.Expression | undefined, ref: CalleeRef | undefined, configured: boolean): Shape | "untyped" | undefined {
  const { checker } = ctx;
  const receiverType = receiver ? checker.getTypeAtLocation(receiver) : undefined;
  if (receiverType && receiverType.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return "untyped";
  const callType = checker.getTypeAtLocation(call);
  if (callType.flags & ts.TypeFlags.Any) return "untyped";
  const callbackIndex = call.arguments.findIndex((a) => isFunctionArgument(a));
  if (name === "runExclusive") {
    const visible = callbackIndex >= 0 ? callbackIndex : undefined;
    return call.arguments.length > 0 && isPromiseLike(checker, callType) ? { style: "callback", sync: false, releaseMethods: [], releaseInTuple: false, callbackIndex: visible } : undefined;
  }
  if (!isPromiseLike(checker, callType)) {
    // A synchronous lock: `lock()`/`lockSync()` that waits on Atomics and is released by a method of the same object.
    if (!receiverType || !(usesAtomics(ref?.declaration) || name === "lockSync")) return undefined;
    const releases = releaseMethodsOf(checker, receiverType, call);
    if (hasCallSignatures(callType)) return { style: "release-function", sync: true, releaseMethods: releases, releaseInTuple: false };
    return releases.length > 0 ? { style: "release-method", sync: true, releaseMethods: releases, releaseInTuple: false } : undefined;
  }
  // Outside the catalogue, an object is a lock only when its name or its type's name says so:
  // `loader.acquire()` resolving to a function, or a `session.lock()`, may be anything.
  const typeName = receiverType?.getSymbol()?.getName() ?? "";
  if (!configured && receiver && !LOCK_LIKE_NAME.test(receiver.getText()) && !LOCK_LIKE_NAME.test(typeName)) return undefined;
  const resolved = awaitedType(checker, callType);
  if (hasCallSignatures(resolved)) return { style: "release-function", sync: false, releaseMethods: [], releaseInTuple: false };
  if (isReleaseTuple(checker, resolved)) return { style: "release-function", sync: false, releaseMethods: [], releaseInTuple: true };
  const handleReleases = resolved.flags & ts.TypeFlags.Object ? releaseMethodsOf(checker, resolved, call) : [];
  if (handleReleases.length > 0) return { style: "handle", sync: false, releaseMethods: handleReleases, releaseInTuple: false };
  if (!receiverType) return undefined;
  const releases = releaseMethodsOf(checker, receiverType, call);
  return releases.length > 0 ? { style: "release-method", sync: false, releaseMethods: releases, releaseInTuple: false } : undefined;
}

/** The function-like node whose body contains `node`, or the source file. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | ts.SourceFile {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body !== undefined) return n as ts.FunctionLikeDeclaration;
    if (ts.isSourceFile(n)) return n;
  }
  return node.getSourceFile();
}

/** Untyped JavaScript: read the shape from how the result is used in the same function. */
function shapeBySyntax(call: ts.CallExpression, name: string, receiver: ts.Expression | undefined, configured: boolean): Shape | undefined {
  if (!receiver || (!configured && !LOCK_LIKE_NAME.test(receiver.getText()))) return undefined;
  const callbackIndex = call.arguments.findIndex((a) => isFunctionArgument(a));
  if (name === "runExclusive") return call.arguments.length > 0 ? { style: "callback", sync: false, releaseMethods: [], releaseInTuple: false, callbackIndex: callbackIndex >= 0 ? callbackIndex : undefined } : undefined;
  if (callbackIndex >= 0) return undefined;
  const fn = enclosingFunction(call);
  const binding = boundName(call);
  const receiverText = receiver.getText();
  let style: AcquireStyle | undefined;
  let method: string | undefined;
  const visit = (n: ts.Node): void => {
    if (style !== undefined) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      if (binding && ts.isIdentifier(callee) && callee.text === binding) style = "release-function";
      else if (ts.isPropertyAccessExpression(callee) && RELEASE_NAMES.has(callee.name.text)) {
        const target = skipOuterExpressions(callee.expression).getText();
        if (binding && target === binding) {
          style = "handle";
          method = callee.name.text;
        } else if (target === receiverText && n.arguments.length === 0) {
          style = "release-method";
          method = callee.name.text;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  if (!style) return undefined;
  return { style, sync: name === "lockSync", releaseMethods: method ? [method] : [], releaseInTuple: false };
}

/**
 * `await locks.acquire(key)` … `locks.release(key)`, `await acquireLock(key)` … `releaseLock(key)`: a lock
 * named by a key and released by a call that passes the same key. A pool's `release(resource)` passes what
 * `acquire()` returned instead, so it does not match.
 */
function keyedPair(call: ts.CallExpression, name: string, receiver: ts.Expression | undefined): Shape | undefined {
  const key = call.arguments[0];
  if (!key || isFunctionArgument(key)) return undefined;
  // `cache.acquire(url)` … `cache.release(url)` may count references; only a lock's name says it excludes.
  if (receiver ? !LOCK_LIKE_NAME.test(receiver.getText()) : !/Lock|Mutex/.test(name)) return undefined;
  const keyText = key.getText();
  const receiverText = receiver ? skipOuterExpressions(receiver).getText() : undefined;
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && n !== call && n.arguments[0]?.getText() === keyText) {
      const callee = skipOuterExpressions(n.expression);
      if (receiverText !== undefined && ts.isPropertyAccessExpression(callee) && RELEASE_NAMES.has(callee.name.text) && skipOuterExpressions(callee.expression).getText() === receiverText) found = callee.name.text;
      else if (receiverText === undefined && ts.isIdentifier(callee) && RELEASE_NAMES.has(callee.text)) found = callee.text;
    }
    ts.forEachChild(n, visit);
  };
  visit(enclosingFunction(call));
  return found ? { style: "release-method", sync: false, releaseMethods: [found], releaseInTuple: false, keyed: true } : undefined;
}

/** `const x = await call` / `x = await call`: the name bound to what the acquire resolves to. */
export function boundName(call: ts.CallExpression): string | undefined {
  let n: ts.Node = call;
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    if (ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isArrayBindingPattern(p.name)) {
      const second = p.name.elements[1];
      if (second && ts.isBindingElement(second) && ts.isIdentifier(second.name)) return second.name.text;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && ts.isIdentifier(p.left)) return p.left.text;
  return undefined;
}

function literalText(e: ts.Expression): string | undefined {
  const s = skipOuterExpressions(e);
  if (ts.isStringLiteralLike(s) || ts.isNumericLiteral(s)) return s.text;
  if (ts.isArrayLiteralExpression(s)) {
    const parts = s.elements.map((el) => literalText(el));
    return parts.every((p) => p !== undefined) ? `[${parts.join(",")}]` : undefined;
  }
  return undefined;
}

function isModuleLevel(decl: ts.Node): boolean {
  if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl)) return true;
  if (ts.isVariableDeclaration(decl)) return ts.isVariableDeclarationList(decl.parent) && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent);
  return ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isShorthandPropertyAssignment(decl) || ts.isBinaryExpression(decl) || ts.isPropertyAccessExpression(decl);
}

function declarationKey(decl: ts.Node): string {
  return `${decl.getSourceFile().fileName}:${decl.pos}`;
}

function symbolDeclaration(checker: ts.TypeChecker, node: ts.Node): ts.Declaration | undefined {
  const symbol = checker.getSymbolAtLocation(node);
  if (!symbol) return undefined;
  const target = resolveAlias(checker, symbol);
  return target.valueDeclaration ?? target.declarations?.[0];
}

function rootOf(e: ts.Expression): ts.Expression {
  let r = skipOuterExpressions(e);
  while (ts.isPropertyAccessExpression(r) || ts.isElementAccessExpression(r)) r = skipOuterExpressions(r.expression);
  return r;
}

/** Who the lock object is: a class field, a module variable, a local, or an expression only comparable within its function. */
export function identityOfReceiver(checker: ts.TypeChecker, receiver: ts.Expression | undefined, call: ts.CallExpression, fallback: string): LockIdentity {
  const fnKey = `${enclosingFunction(call).pos}`;
  if (!receiver) return { key: `fn:${fallback}`, label: fallback, global: true, declaration: undefined };
  const e = skipOuterExpressions(receiver);
  const label = e.getText();
  if (ts.isIdentifier(e)) {
    const decl = symbolDeclaration(checker, e);
    if (!decl) return { key: `expr:${label}@${fnKey}`, label, global: false, declaration: undefined };
    return { key: `var:${declarationKey(decl)}`, label, global: isModuleLevel(decl), declaration: decl };
  }
  if (ts.isPropertyAccessExpression(e)) {
    const root = rootOf(e);
    const rootIsThis = root.kind === ts.SyntaxKind.ThisKeyword;
    const rootDecl = ts.isIdentifier(root) ? symbolDeclaration(checker, root) : undefined;
    const shared = rootIsThis || (rootDecl !== undefined && (isModuleLevel(rootDecl) || ts.isClassDeclaration(rootDecl)));
    if (shared) {
      const decl = symbolDeclaration(checker, e.name);
      const owner = rootIsThis ? classNameOf(e) : "";
      // The same field of `this`, or of a module-level object: one lock wherever it is named.
      const key = decl ? `field:${declarationKey(decl)}:${e.getText().replace(/^this\./, "")}` : `field:${owner}.${label}`;
      return { key, label, global: true, declaration: decl };
    }
  }
  return { key: `expr:${label}@${fnKey}`, label, global: false, declaration: undefined };
}

function classNameOf(node: ts.Node): string {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (ts.isClassLike(n)) return n.name?.text ?? `class@${n.pos}`;
  return "";
}

function withKey(identity: LockIdentity, keyArgument: ts.Expression | undefined): LockIdentity {
  if (!keyArgument) return identity;
  const literal = literalText(keyArgument);
  if (literal !== undefined) return { ...identity, key: `${identity.key}#"${literal}"`, label: `${identity.label} "${literal}"` };
  // A key computed at run time names the same lock only where the same expression is used in the same function.
  const text = keyArgument.getText();
  return { ...identity, key: `${identity.key}#${text}@${enclosingFunction(keyArgument).pos}`, label: `${identity.label} (${text})`, global: false };
}

/** A one-permit semaphore (`new Semaphore(1)`) excludes like a mutex; with more permits, re-entry is not a deadlock. */
function isSinglePermit(declaration: ts.Node | undefined): boolean {
  const init = declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) ? declaration.initializer : undefined;
  const construction = init && findNew(init);
  const first = construction?.arguments?.[0];
  return first !== undefined && ts.isNumericLiteral(first) && first.text === "1";
}

export function findNew(e: ts.Expression): ts.NewExpression | undefined {
  const s = skipOuterExpressions(e);
  if (ts.isNewExpression(s)) return s;
  if (ts.isCallExpression(s)) return s.arguments.map((a) => findNew(a)).find((x) => x !== undefined);
  return undefined;
}

function declaredReentrant(declaration: ts.Node | undefined): boolean {
  return declaration !== undefined && /domainReentrant\s*:\s*true|Reentrant|Recursive/.test(declaration.getText());
}

function navigatorLocks(receiver: ts.Expression | undefined): boolean {
  return receiver !== undefined && /(^|\.)(navigator\.)?locks$/.test(skipOuterExpressions(receiver).getText()) && /navigator|^locks$|self\.locks|window\./.test(receiver.getText());
}

function argumentAt(call: ts.CallExpression, index: number | "last" | undefined): ts.Expression | undefined {
  if (index === undefined) return undefined;
  return index === "last" ? call.arguments[call.arguments.length - 1] : call.arguments[index];
}

function callbackAt(call: ts.CallExpression, index: number | "last" | undefined): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const arg = argumentAt(call, index);
  return isFunctionArgument(arg) ? unwrapFunction(arg) : undefined;
}

/** A first argument that can name a lock within a keyed lock object; timeouts, priorities and options cannot. */
function keyLikeArgument(call: ts.CallExpression): ts.Expression | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  const s = skipOuterExpressions(first);
  if (ts.isNumericLiteral(s) || ts.isObjectLiteralExpression(s) || isFunctionArgument(s)) return undefined;
  return first;
}

/** A callback acquisition spans its whole critical section: point at the callee, not the call. */
function anchorFor(call: ts.CallExpression, style: AcquireStyle): ts.Node {
  return style === "callback" ? call.expression : call;
}

/**
 * The lock taken by `call`, or undefined when the call takes none. Cheap names
 * are checked first; only candidates cost checker calls.
 */
export function acquisitionOf(ctx: DetectContext, call: ts.CallExpression): Acquisition | undefined {
  const name = calleeName(call.expression);
  if (name === undefined || !ACQUIRE_NAMES.has(name)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : undefined;
  if (name === "request" && !navigatorLocks(receiver)) return undefined;
  if (name === "using" && !receiver) return undefined;

  const ref = resolveCallee(ctx.program, ctx.checker, call.expression);
  const entry =
    catalogueEntry(ref, ctx.catalogue, name) ??
    (name === "request" ? ctx.catalogue.locks.find((l) => l.module === "lib" && l.name === "LockManager") : undefined) ??
    (ref === undefined || ref.declaration === undefined ? constructedFrom(ctx, receiver) : undefined);
  const method: LockMethod | undefined = entry?.acquire?.find((m) => m.name === name);
  if (entry && entry.acquire && !method) return undefined;

  if (method) {
    const callback = method.style === "callback" ? callbackAt(call, method.callbackArgument) : undefined;
    // A callback passed by name (`runExclusive(work)`) still takes the lock; only its body is out of sight.
    if (method.style === "callback" && !callback && argumentAt(call, method.callbackArgument) === undefined) return undefined;
    const keyArgument = method.keyArgument !== undefined ? call.arguments[method.keyArgument] : undefined;
    const base = identityOfReceiver(ctx.checker, receiver, call, entry!.module === "lib" ? "navigator.locks" : `${entry!.module}`);
    const lock = withKey(base, keyArgument);
    const shared = name === "request" && call.arguments.some((a) => /mode\s*:\s*["']shared["']|ifAvailable\s*:\s*true/.test(a.getText()));
    // `tryAcquire(mutex)` fails at once instead of waiting: taking it again cannot deadlock.
    const failsFast = receiver !== undefined && /^tryAcquire\s*\(/.test(skipOuterExpressions(receiver).getText());
    let reentrant = entry!.reentrant === true || shared || failsFast || declaredReentrant(lock.declaration);
    const counting = /Semaphore/.test(entry!.name) && !isSinglePermit(lock.declaration);
    if (counting) reentrant = true;
    return {
      call,
      anchor: anchorFor(call, method.style),
      lock,
      style: method.style,
      sync: method.sync === true,
      reentrant,
      counting,
      guards: entry!.guards ?? "memory",
      receiver,
      keyArgument,
      callback,
      releaseMethods: entry!.release ?? [],
      releaseInTuple: method.releaseInTuple === true,
      known: true,
    };
  }

  if (name === "request" || name === "using") return undefined;
  // A project's own lock-shaped object, or a configured extra whose methods are read by shape.
  if (ref?.origin === "lib") return undefined;
  // A free function (`acquireLock(key)`) is a lock only with a typed release function or a matching release call.
  if (!receiver && !entry && !/^acquire(Lock|Mutex)?$/.test(name)) return undefined;
  let shape = receiver || entry ? shapeByType(ctx, call, name, receiver, ref, entry !== undefined) : undefined;
  if (shape === "untyped") shape = shapeBySyntax(call, name, receiver, entry !== undefined);
  shape ??= keyedPair(call, name, receiver);
  if (!shape) return undefined;
  const callback = shape.style === "callback" && shape.callbackIndex !== undefined ? unwrapFunction(call.arguments[shape.callbackIndex]) : undefined;
  const base = identityOfReceiver(ctx.checker, receiver, call, name);
  const keyArgument = shape.keyed ? call.arguments[0] : receiver && shape.style !== "callback" ? keyLikeArgument(call) : undefined;
  const lock = withKey(base, keyArgument);
  const ownerName = ref?.owner ?? "";
  return {
    call,
    anchor: anchorFor(call, shape.style),
    lock,
    style: shape.style,
    sync: shape.sync,
    reentrant: /reentrant|recursive|semaphore/i.test(ownerName) || declaredReentrant(lock.declaration),
    counting: /semaphore/i.test(ownerName) && !isSinglePermit(lock.declaration),
    guards: "memory",
    receiver,
    keyArgument,
    callback,
    releaseMethods: shape.releaseMethods,
    releaseInTuple: shape.releaseInTuple,
    known: entry !== undefined,
  };
}
