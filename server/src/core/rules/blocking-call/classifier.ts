// Decides whether one resolved callee blocks: a catalogue entry, or an
// unknown library function that follows Node's `xSync` naming convention.
// Project functions are not judged here: they are judged by their bodies
// (blocking-calls.ts).
import ts from "typescript";
import { assignedValues } from "../../ast/assignments";
import type { BlockingApi } from "../../catalogue";
import { isPromiseLike, skipOuterExpressions, type CalleeRef } from "../../symbols";

/** `*Sync`, `question*`, `*`: a name pattern of the catalogue as a regular expression. */
export function namePattern(name: string): RegExp {
  return new RegExp(`^${name.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

const patternCache = new Map<string, RegExp>();

export function nameMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  let re = patternCache.get(pattern);
  if (!re) patternCache.set(pattern, (re = namePattern(pattern)));
  return re.test(name);
}

/** The class, interface or namespace that declares the callee (`Statement`, `Deno`). */
export function ownerOf(ref: CalleeRef): string | undefined {
  if (ref.owner !== undefined || ref.declaration === undefined) return ref.owner;
  for (let n: ts.Node | undefined = ref.declaration.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isModuleBlock(n)) return ts.isIdentifier(n.parent.name) ? n.parent.name.text : undefined;
    if (ts.isClassLike(n) || ts.isInterfaceDeclaration(n)) return n.name?.text;
  }
  return undefined;
}

/** True for a module specifier of project code (`./util`), which imports never make a dependency. */
export function isRelativeModule(module: string | undefined): boolean {
  return module !== undefined && (module.startsWith(".") || module.startsWith("/"));
}

/** The first catalogue entry the callee matches. */
export function matchBlockingApi(apis: readonly BlockingApi[], ref: CalleeRef): BlockingApi | undefined {
  if (ref.origin === "project" || isRelativeModule(ref.module)) return undefined;
  let owner: string | undefined | null = null;
  const ownerLazy = () => (owner === null ? (owner = ownerOf(ref)) : owner);
  for (const api of apis) {
    if (!nameMatches(api.name, ref.name)) continue;
    if (api.module === "lib") {
      if (ref.origin === "lib" && ownerLazy() === api.owner) return api;
    } else if (api.module === "global") {
      if (ownerLazy() === api.owner) return api;
    } else if (ref.module === api.module && (api.owner === undefined || ownerLazy() === api.owner)) {
      return api;
    }
  }
  return undefined;
}

/**
 * A library function (no analysable body, outside TypeScript's own lib) named
 * `xSync` that returns no promise and sits beside an `x`: Node's convention
 * for the synchronous twin of an asynchronous function.
 */
export function isConventionallySync(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, ref: CalleeRef): boolean {
  if (!ts.isCallExpression(call) || ref.declaration === undefined) return false;
  if (ref.origin !== "dependency" && ref.origin !== "ambient") return false;
  if (!/^[a-z_$][\w$]*Sync$/.test(ref.name) || isRelativeModule(ref.module)) return false;
  const twin = ref.name.slice(0, -"Sync".length);
  // A package's `xSync` needs its twin beside it to be read by the convention; a
  // function the project declares for its own code without a body (`declare
  // function loadSync()`, a global in a hand-written .d.ts, not a `declare module "pkg"`)
  // is named by the project itself, and the name is all there is to go by.
  const ownDeclaration = ref.origin === "ambient" && ref.module === undefined;
  if (!ownDeclaration && !hasTwin(checker, call, ref.declaration, twin)) return false;
  const signature = checker.getResolvedSignature(call);
  if (signature === undefined) return false;
  const returned = checker.getReturnTypeOfSignature(signature);
  // `isSync()`: a question about syncing, answered at once.
  if (ownDeclaration && returned.flags & ts.TypeFlags.BooleanLike) return false;
  return !isPromiseLike(checker, returned);
}

function hasTwin(checker: ts.TypeChecker, call: ts.CallExpression, declaration: ts.Declaration, twin: string): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    return checker.getTypeAtLocation(callee.expression).getProperty(twin) !== undefined;
  }
  let n: ts.Node = declaration;
  while (!ts.isSourceFile(n) && !ts.isModuleDeclaration(n)) n = n.parent;
  const container = ts.isModuleDeclaration(n) ? checker.getSymbolAtLocation(n.name) : checker.getSymbolAtLocation(n);
  // A global declaration (a script .d.ts) has no module: its twin is a global too.
  if (container === undefined) return checker.resolveName(twin, call, ts.SymbolFlags.Value, false) !== undefined;
  return checker.getExportsOfModule(container).some((s) => s.name === twin);
}

/** `await f()`, `f().then(…)`: the caller treats the result as a promise. */
function isUsedAsPromise(call: ts.Node): boolean {
  let n = call;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return ts.isAwaitExpression(p) || (ts.isPropertyAccessExpression(p) && p.expression === n && (p.name.text === "then" || p.name.text === "catch"));
}

/**
 * An `xSync` export of a package without typings, called through its import:
 * blocking by Node's naming convention, unless the caller awaits the result.
 */
export function isUntypedConventionallySync(call: ts.CallExpression | ts.NewExpression, ref: CalleeRef): boolean {
  if (!ts.isCallExpression(call) || ref.declaration !== undefined || ref.resolvedBy !== "imports") return false;
  if (ref.module === undefined || isRelativeModule(ref.module)) return false;
  return /^[a-z_$][\w$]*Sync$/.test(ref.name) && !isUsedAsPromise(call);
}

/** A call its catalogue entry says is cheap at this size: a small constant. */
export function isCheapAtThisSize(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, api: BlockingApi): boolean {
  if (!api.cheapUpTo) return false;
  const size = call.arguments?.[api.cheapUpTo.argument];
  const bytes = size && constantValue(checker, size, 0);
  return bytes !== undefined && bytes <= api.cheapUpTo.bytes;
}

/** A number literal, a product or sum of them, or a `const` bound to one (`const POOL = 8 * 1024`). */
function constantValue(checker: ts.TypeChecker, expr: ts.Expression, depth: number): number | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ""));
  if (ts.isBinaryExpression(e) && depth < 4 && (e.operatorToken.kind === ts.SyntaxKind.AsteriskToken || e.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
    const l = constantValue(checker, e.left, depth + 1);
    const r = constantValue(checker, e.right, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    return e.operatorToken.kind === ts.SyntaxKind.AsteriskToken ? l * r : l + r;
  }
  if (ts.isIdentifier(e) && depth < 4) {
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return constantValue(checker, decl.initializer, depth + 1);
  }
  return undefined;
}

/** Kernel pseudo-file systems: reading them waits on no disk. */
const KERNEL_PATH = /^\/(proc|sys)\//;

/** A read of a path the code fixes under `/proc/` or `/sys/` (`readFileSync("/sys/block/" + dev + "/stat")`). */
export function readsKernelPseudoFile(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, api: BlockingApi): boolean {
  const path = api.readsPath === undefined ? undefined : call.arguments?.[api.readsPath];
  if (!path) return false;
  const prefixes = leadingTexts(checker, path, 0);
  return prefixes !== undefined && prefixes.every((p) => KERNEL_PATH.test(p) || p === "/proc" || p === "/sys");
}

/**
 * The text a string expression starts with, for each value it can have: a
 * literal's text, a template's head, the left of a `+`, what a variable is
 * given. Undefined when some value's start cannot be read.
 */
function leadingTexts(checker: ts.TypeChecker, expr: ts.Expression, depth: number): string[] | undefined {
  const e = skipOuterExpressions(expr);
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isTemplateExpression(e)) return [e.head.text];
  if (depth >= 4) return undefined;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    // Only a prefix ending in a separator fixes the directory: `"/proc" + x` could name any path.
    const left = leadingTexts(checker, e.left, depth + 1);
    return left?.every((p) => KERNEL_PATH.test(p)) ? left : undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl)) return undefined;
    const out: string[] = [];
    for (const value of assignedValues(checker, decl)) {
      const texts = leadingTexts(checker, value, depth + 1);
      if (texts === undefined) return undefined;
      out.push(...texts);
    }
    return out.length > 0 ? out : undefined;
  }
  return undefined;
}
