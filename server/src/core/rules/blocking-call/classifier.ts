// Decides whether one resolved callee blocks: a catalogue entry, or an
// unknown library function that follows Node's `xSync` naming convention.
// Project functions are not judged here: they are judged by their bodies
// (blocking-calls.ts).
// A default import: `import * as` would route every `ts.` access through a getter, which shows in whole-project walks.
import ts from "typescript";
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
  if (!hasTwin(checker, call, ref.declaration, twin)) return false;
  const signature = checker.getResolvedSignature(call);
  return signature !== undefined && !isPromiseLike(checker, checker.getReturnTypeOfSignature(signature));
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
