// Slow work: what an await waits on that takes long and rarely needs a lock:
// network requests and database round trips, timers and sleeps, child
// processes. Decided by the resolved callee's module; project functions
// count through their bodies (a `sleep` helper, an `api.post` wrapper).
import * as ts from "typescript";
import { calleeName, importBindingOf, projectFunctionOf, resolveCallee, skipOuterExpressions, type CalleeRef } from "../../symbols";
import { initializerOf } from "./detect";

export type SlowKind = "network" | "database" | "timer" | "child-process";

export interface SlowWork {
  kind: SlowKind;
  /** Short description for messages: "network request fetch()". */
  what: string;
  /** Project calls followed to reach the slow call, outermost first. */
  chain: ts.CallExpression[];
  /** The slow call itself. */
  call: ts.Node;
}

const MODULE_KINDS: ReadonlyMap<string, SlowKind> = new Map([
  ...["node-fetch", "cross-fetch", "isomorphic-fetch", "undici", "undici-types", "axios", "got", "ky", "superagent", "request", "request-promise", "request-promise-native", "needle", "phin", "http", "https", "http2", "ofetch", "@octokit/rest", "@octokit/core", "node-telegram-bot-api", "discord.js", "openai", "@anthropic-ai/sdk", "@slack/web-api", "twilio", "nodemailer"].map((m) => [m, "network"] as const),
  ...["pg", "mysql", "mysql2", "mysql2/promise", "mongodb", "mongoose", "ioredis", "redis", "@redis/client", "@prisma/client", "knex", "sequelize", "typeorm", "sqlite", "sqlite3", "cassandra-driver", "@elastic/elasticsearch", "@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "@aws-sdk/client-s3", "firebase-admin", "@google-cloud/firestore", "@supabase/supabase-js", "drizzle-orm", "pg-promise", "mssql", "oracledb"].map((m) => [m, "database"] as const),
  ...["child_process", "execa", "cross-spawn", "zx"].map((m) => [m, "child-process"] as const),
  ...["timers/promises", "delay", "sleep-promise", "p-sleep", "await-timeout", "timers-ext"].map((m) => [m, "timer"] as const),
]);

const FETCH_MODULES = new Set(["node", "undici-types", "undici", "lib", "node-fetch", "cross-fetch"]);

/** Depth of project functions followed to find the slow call behind a wrapper. */
const WRAPPER_DEPTH = 3;

function describe(kind: SlowKind, name: string): string {
  switch (kind) {
    case "network":
      return `network request ${name}()`;
    case "database":
      return `database call ${name}()`;
    case "timer":
      return `timer ${name}()`;
    case "child-process":
      return `child process ${name}()`;
  }
}

/** `new Promise((resolve) => setTimeout(resolve, ms))`. */
function isTimerPromise(e: ts.Expression): boolean {
  if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== "Promise") return false;
  const executor = e.arguments?.[0];
  return executor !== undefined && /\bsetTimeout\s*\(/.test(executor.getText());
}

/** A helper whose body only waits on a timer: `return new Promise(r => setTimeout(r, ms))`. */
function isSleepHelper(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isTimerPromise(skipOuterExpressions(body as ts.Expression));
  return body.statements.length <= 3 && body.statements.some((s) => ts.isReturnStatement(s) && s.expression !== undefined && isTimerPromise(skipOuterExpressions(s.expression)));
}

/** `const execAsync = promisify(exec)`: the function that was promisified. */
function promisifiedTarget(checker: ts.TypeChecker, callee: ts.Expression): ts.Expression | undefined {
  const e = skipOuterExpressions(callee);
  if (!ts.isIdentifier(e)) return undefined;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  const init = skipOuterExpressions(decl.initializer);
  if (ts.isCallExpression(init) && calleeName(init.expression) === "promisify" && init.arguments[0]) return init.arguments[0];
  return undefined;
}

function kindOfRef(ref: CalleeRef | undefined, name: string): SlowKind | undefined {
  if (!ref) return undefined;
  if (ref.origin === "project") return undefined;
  if (name === "fetch" && (ref.origin === "lib" || FETCH_MODULES.has(ref.module ?? ""))) return "network";
  const module = ref.module;
  if (module === undefined) return undefined;
  const direct = MODULE_KINDS.get(module);
  if (direct) return direct;
  // `@aws-sdk/client-sqs`, `mysql2/promise`: a family shares its kind.
  const family = [...MODULE_KINDS.keys()].find((m) => module.startsWith(`${m}/`));
  if (family) return MODULE_KINDS.get(family);
  if (module.startsWith("@aws-sdk/") || module.startsWith("@google-cloud/") || module.startsWith("@azure/")) return "network";
  return undefined;
}

/**
 * Untyped code: the module a client object comes from, read from how it was
 * made (`new Pool()` imported from "pg", `redis.createClient()`, `mysql.createPool()`).
 */
function moduleOfClient(checker: ts.TypeChecker, callee: ts.Expression): string | undefined {
  const e = skipOuterExpressions(callee);
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const init = initializerOf(checker, e.expression);
  if (!init) return undefined;
  let made = skipOuterExpressions(init);
  if (ts.isAwaitExpression(made)) made = skipOuterExpressions(made.expression);
  if (!ts.isNewExpression(made) && !ts.isCallExpression(made)) return undefined;
  let root = skipOuterExpressions(made.expression);
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  return ts.isIdentifier(root) ? importBindingOf(checker, root)?.module : undefined;
}

export interface SlowWorkContext {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Memo of project functions already judged. */
  wrappers: Map<ts.Node, SlowWork | null>;
}

/** The slow work a call does, directly or through a project wrapper. */
export function slowCall(ctx: SlowWorkContext, call: ts.CallExpression, depth = 0): SlowWork | undefined {
  const name = calleeName(call.expression) ?? "";
  const callee = skipOuterExpressions(call.expression);
  // Untyped code: `fetch(url)` with no declaration anywhere is still the global fetch.
  const ref = resolveCallee(ctx.program, ctx.checker, call.expression);
  if (!ref && name === "fetch" && ts.isIdentifier(callee)) return { kind: "network", what: describe("network", name), chain: [], call };
  const kind = kindOfRef(ref, name);
  if (kind) return { kind, what: describe(kind, name), chain: [], call };
  if (!ref || ref.declaration === undefined) {
    const module = moduleOfClient(ctx.checker, call.expression);
    const k = module !== undefined ? kindOfRef({ module, name, owner: undefined, origin: "dependency", declaration: undefined, resolvedBy: "imports" }, name) : undefined;
    if (k) return { kind: k, what: describe(k, name), chain: [], call };
  }
  const promisified = promisifiedTarget(ctx.checker, call.expression);
  if (promisified) {
    const target = resolveCallee(ctx.program, ctx.checker, promisified);
    const targetName = calleeName(promisified) ?? name;
    const k = kindOfRef(target, targetName);
    if (k) return { kind: k, what: describe(k, name), chain: [], call };
  }
  const fn = projectFunctionOf(ref);
  if (!fn || depth >= WRAPPER_DEPTH) return undefined;
  if (isSleepHelper(fn)) return { kind: "timer", what: describe("timer", name), chain: [], call };
  // Only thin wrappers (`get(url) { return fetch(base + url); }`) stand for their slow call; a function
  // that does much else is the work the lock is taken for.
  if (!isThinWrapper(fn)) return undefined;
  const inner = slowBody(ctx, fn, depth + 1);
  return inner ? { ...inner, chain: [call, ...inner.chain] } : undefined;
}

const THIN_WRAPPER_STATEMENTS = 3;

function isThinWrapper(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  return body !== undefined && (!ts.isBlock(body) || body.statements.length <= THIN_WRAPPER_STATEMENTS);
}

/** The first slow call a project function waits on (awaited or returned), memoised. */
function slowBody(ctx: SlowWorkContext, fn: ts.FunctionLikeDeclaration, depth: number): SlowWork | undefined {
  if (ctx.wrappers.has(fn)) return ctx.wrappers.get(fn) ?? undefined;
  // Marked before the walk so that recursion terminates.
  ctx.wrappers.set(fn, null);
  let found: SlowWork | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== fn && ts.isFunctionLike(n)) return;
    const waited = ts.isAwaitExpression(n) ? n.expression : ts.isReturnStatement(n) ? n.expression : undefined;
    if (waited) found = slowOperand(ctx, waited, depth);
    if (!found && ts.isArrowFunction(fn) && n === fn.body && !ts.isBlock(n)) found = slowOperand(ctx, n as ts.Expression, depth);
    ts.forEachChild(n, visit);
  };
  visit(fn);
  ctx.wrappers.set(fn, found ?? null);
  return found;
}

/** The innermost call of `a.b().then(…).catch(…)`. */
function unwrapPromiseChain(e: ts.Expression): ts.Expression {
  let s = skipOuterExpressions(e);
  while (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && /^(then|catch|finally)$/.test(s.expression.name.text)) {
    s = skipOuterExpressions(s.expression.expression);
  }
  return s;
}

/** What an awaited expression waits on, when it is slow work. */
export function slowOperand(ctx: SlowWorkContext, operand: ts.Expression, depth = 0): SlowWork | undefined {
  const e = unwrapPromiseChain(operand);
  if (isTimerPromise(e)) return { kind: "timer", what: "timer setTimeout()", chain: [], call: e };
  if (!ts.isCallExpression(e)) return undefined;
  return slowCall(ctx, e, depth);
}
