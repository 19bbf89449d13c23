// What bounds a fan-out: whether a collection has a known, small size, and
// whether the work mapped over it already goes through a limiter. Used by
// the unbounded-fanout rule; purely syntactic except for the tuple test.
import ts from "typescript";
import { receiverKey } from "../../ast/receivers";
import { constInitializer, isObjectLiteralValue, onlyLogs } from "../../flow/collections";
import { calleeName, skipOuterExpressions } from "../../symbols";

/** The `.map(cb)` (or `Array.from(xs, cb)`) that produces the promises of a fan-out, with the collection it maps. */
export interface Mapping {
  call: ts.CallExpression;
  collection: ts.Expression;
  callback: ts.Expression;
}

/** The words of an identifier: `maxConcurrency` → max, concurrency; `BATCH_SIZE` → batch, size. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Names that say a value is one slice of a larger collection, cut to size on purpose. */
const SLICE_WORDS = new Set(["chunk", "batch", "slice", "page", "window", "group", "bucket"]);
/** Names that say a number is a concurrency setting (worker pools are sized by them). */
const CONCURRENCY_WORDS = new Set(["concurrency", "concurrent", "parallel", "parallelism", "workers", "worker", "threads", "pool", "limit", "max", "jobs", "lanes", "slots"]);
/**
 * Collections sized by configuration rather than by data: a program has a
 * handful of plugins or servers, and starting all of them at once is the point.
 */
const CONFIGURATION_WORDS = new Set(["plugin", "plugins", "hook", "hooks", "extension", "extensions", "middleware", "middlewares", "reporter", "reporters", "transport", "transports", "provider", "providers", "adapter", "adapters", "server", "servers", "worker", "workers", "service", "services", "loader", "loaders", "listener", "listeners", "handler", "handlers", "exporter", "exporters", "processor", "processors", "callback", "callbacks"]);

/** Names of limiters: calls through them run at bounded concurrency. */
// Not "pool": a database or worker pool queues every call it is handed, so a fan-out through it still grows.
const LIMITER_WORDS = new Set(["limit", "limiter", "throttle", "throttled", "sem", "sema", "semaphore", "queue", "mutex", "lock", "bottleneck", "concurrency", "scheduler", "plimit", "pqueue"]);

function hasWord(name: string, words: ReadonlySet<string>): boolean {
  return wordsOf(name).some((w) => words.has(w));
}

function nameOf(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** A number that sizes a worker pool: a literal, a `Math.min(...)`, or a name about concurrency. */
function isPoolSize(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "min") return true;
  const name = nameOf(e);
  return name !== undefined && hasWord(name, CONCURRENCY_WORDS);
}

/** Named like a configuration-sized collection: `plugins`, `this.servers`, `rootHooks`. */
function isConfigurationSized(expr: ts.Expression): boolean {
  const name = nameOf(expr);
  return name !== undefined && wordsOf(name).slice(-1).some((w) => CONFIGURATION_WORDS.has(w));
}

/**
 * True when a collection's size is known and small, or cut to size on
 * purpose: literals, tuples, slices and chunks, worker-pool arrays,
 * `Object.keys` of an object literal.
 */
export function isBoundedCollection(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): boolean {
  if (depth > 4) return false;
  const e = skipOuterExpressions(expr);
  // `Array.from({ length: n }, …)`: as many as n says.
  if (ts.isObjectLiteralExpression(e)) {
    const length = e.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "length");
    if (length && ts.isPropertyAssignment(length)) return isPoolSize(length.initializer);
    if (length && ts.isShorthandPropertyAssignment(length)) return isPoolSize(length.name);
    return false;
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((el) => !ts.isSpreadElement(el) || isBoundedCollection(checker, el.expression, depth + 1));
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    const name = calleeName(callee);
    const args = e.arguments ?? ts.factory.createNodeArray();
    if (ts.isIdentifier(callee) && name === "Array") return args.length === 1 && isPoolSize(args[0]);
    if (ts.isPropertyAccessExpression(callee)) {
      const owner = skipOuterExpressions(callee.expression);
      const ownerName = ts.isIdentifier(owner) ? owner.text : undefined;
      if (ownerName === "Object" && (name === "keys" || name === "values" || name === "entries")) return args.length === 1 && (isObjectLiteralValue(checker, args[0], 0) || isConfigurationSized(args[0]));
      if (ownerName === "Array" && name === "from") {
        return args.length >= 1 && isBoundedCollection(checker, args[0], depth + 1);
      }
      if (ownerName === "Array" && name === "of") return true;
      if ((name === "slice" && args.length === 2) || name === "splice") return true;
      // "a b c".split(" "): as many parts as the literal has.
      if (name === "split" && ts.isStringLiteralLike(skipOuterExpressions(callee.expression))) return true;
      if (name === "filter" || name === "sort" || name === "reverse" || name === "fill" || name === "keys" || name === "map" || name === "toSorted" || name === "toReversed") {
        return isBoundedCollection(checker, callee.expression, depth + 1);
      }
    }
    return false;
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const name = nameOf(e);
    if (name !== undefined && hasWord(name, SLICE_WORDS) && !/s$/.test(name)) return true;
    if (isConfigurationSized(e)) return true;
    if (ts.isIdentifier(e)) {
      // `const regions = ["eu", "us"]` lists its elements; `const clients = []` is a container filled later.
      const init = constInitializer(checker, e);
      const filledLater = !!init && ts.isArrayLiteralExpression(skipOuterExpressions(init)) && (skipOuterExpressions(init) as ts.ArrayLiteralExpression).elements.length === 0;
      if (init && !filledLater && isBoundedCollection(checker, init, depth + 1)) return true;
    }
  }
  return checker.isTupleType(checker.getTypeAtLocation(e));
}

/** True when a call through `callee` runs at bounded concurrency: `limit(…)`, `queue.add(…)`, `sem.acquire()`, `mutex.runExclusive(…)`. */
export function isLimiterCallee(calleeExpr: ts.Expression): boolean {
  const callee = skipOuterExpressions(calleeExpr);
  if (ts.isIdentifier(callee)) return hasWord(callee.text, LIMITER_WORDS);
  if (ts.isPropertyAccessExpression(callee)) {
    const owner = nameOf(callee.expression);
    // `this.limit(() => …)`, `deps.throttle(…)`: the method itself is the limiter.
    if (hasWord(callee.name.text, LIMITER_WORDS) || callee.name.text === "runExclusive") return true;
    if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) return isInLimiterClass(callee);
    return owner !== undefined && hasWord(owner, LIMITER_WORDS);
  }
  return false;
}

/** `this.add(…)` inside a class named like a limiter (`PQueue`, `Semaphore`): the class's own bounded entry point. */
function isInLimiterClass(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isClassLike(n)) return !!n.name && hasWord(n.name.text, LIMITER_WORDS);
  }
  return false;
}

/** True when the work inside `node` goes through a limiter. */
export function usesLimiter(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && isLimiterCallee(n.expression)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const RELATIONAL = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);

/**
 * True when, earlier in the same function, the collection's length is
 * compared with a limit (`if (ids.length > 50) throw …`): its size is bounded
 * by that check. Comparisons with 0 or 1 are emptiness tests, not limits.
 */
export function isLengthChecked(collection: ts.Expression, before: ts.Node, scope: ts.Node): boolean {
  const key = receiverKey(collection);
  if (key === undefined) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= before.pos) return;
    if (ts.isBinaryExpression(n) && RELATIONAL.has(n.operatorToken.kind)) {
      for (const [side, other] of [[n.left, n.right], [n.right, n.left]] as const) {
        const s = skipOuterExpressions(side);
        const o = skipOuterExpressions(other);
        if (ts.isPropertyAccessExpression(s) && s.name.text === "length" && receiverKey(s.expression) === key && !(ts.isNumericLiteral(o) && Number(o.text) <= 1) && !onlyLogs(n)) found = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

