// The project function a call runs, where the checker cannot tell: in
// untyped JavaScript, methods are often attached to an object passed around
// (`God.killProcess = function (…) {…}` in one file, `God.killProcess(…)` in
// another). The only function the project stores under the called name is
// then the one the call runs; a name stored twice tells nothing.
import ts from "typescript";
import { isFunctionWithBody } from "../../ast/functions";
import type { FactKey, ProjectFacts } from "../../facts";
import { calleeName, projectFunctionOf, resolveCallee, type CalleeRef } from "../../symbols";
import { projectSourceFiles } from "./blocking-calls";
import { storageNameOf } from "./name-index";

/**
 * A file's functions by the name they are stored under, kept per SourceFile:
 * they depend on its syntax alone, and the language service keeps the objects
 * of unchanged files from one edit to the next.
 */
const storedByFile = new WeakMap<ts.SourceFile, Map<string, StoredFunction>>();

/** The one function stored under a name, or null where several are: a name stored twice tells nothing. */
type StoredFunction = ts.FunctionLikeDeclaration | null;

/** The functions of a file stored under a name (`function f`, `x.f = function`, `f() {}` in a class), by name. */
function storedFunctions(file: ts.SourceFile): Map<string, StoredFunction> {
  const known = storedByFile.get(file);
  if (known !== undefined) return known;
  const out = new Map<string, StoredFunction>();
  storedByFile.set(file, out);
  const visit = (node: ts.Node): void => {
    if (isFunctionWithBody(node)) {
      const name = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) ? (node.name && ts.isIdentifier(node.name) ? node.name.text : undefined) : storageNameOf(node);
      if (name !== undefined) out.set(name, out.has(name) ? null : node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

export class ProjectFunctions {
  private byName: Map<string, StoredFunction> | undefined;

  constructor(private readonly facts: ProjectFacts) {}

  /** The project function a call runs: by symbol, else the only one the project stores under the called name. */
  calleeOf(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
    return this.functionOf(call.expression);
  }

  /** The project function a reference names (`God.stopProcessId`, `handler`), found as `calleeOf` finds a callee. */
  functionOf(reference: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    const { program, checker } = this.facts;
    const ref = resolveCallee(program, checker, reference);
    const byChecker = projectFunctionOf(ref);
    if (byChecker) return byChecker;
    // `fs.readFile(…)` is the library's, even where the project has a `readFile` of its own.
    if (ref !== undefined && isLibrary(ref)) return undefined;
    const name = calleeName(reference);
    return (name === undefined ? undefined : this.functionsNamed().get(name)) ?? undefined;
  }

  /**
   * True when the project function `call` runs calls back the function passed
   * at `argument`: it calls its parameter (`cb(null, result)`) or hands it on
   * to another call (`God.processIsDead(pid, env, cb)`). The callback is then
   * the caller's continuation, run as part of the same work, now or later.
   */
  callsBack(call: ts.CallExpression, argument: number): boolean {
    const callback = this.callbackParameter(call, argument);
    if (callback === undefined) return false;
    const used = (n: ts.Node): boolean => (ts.isIdentifier(n) && n.text === callback.name && isCalledOrPassed(n)) || ts.forEachChild(n, used) === true;
    return used(callback.body);
  }

  /** The parameter of the project function `call` runs that receives argument `argument`, by name, with the body that uses it. */
  callbackParameter(call: ts.CallExpression, argument: number): { name: string; body: ts.Node } | undefined {
    const callee = this.calleeOf(call);
    const param = callee?.parameters[argument]?.name;
    return callee?.body && param && ts.isIdentifier(param) ? { name: param.text, body: callee.body } : undefined;
  }

  private functionsNamed(): Map<string, StoredFunction> {
    if (this.byName) return this.byName;
    this.byName = new Map();
    for (const file of projectSourceFiles(this.facts.program)) {
      for (const [name, fn] of storedFunctions(file)) this.byName.set(name, this.byName.has(name) ? null : fn);
    }
    return this.byName;
  }
}

/** Declared outside the project: a package or the standard library, not a relative `require("./God")` the imports could not follow. */
function isLibrary(ref: CalleeRef): boolean {
  return ref.origin !== "project" && !(ref.module?.startsWith(".") ?? false);
}

/** `cb(…)`, `cb.call(…)`, `next(cb)`. */
function isCalledOrPassed(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isCallExpression(parent)) return parent.expression === id || parent.arguments.includes(id);
  return ts.isPropertyAccessExpression(parent) && (parent.name.text === "call" || parent.name.text === "apply") && ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
}

export const PROJECT_FUNCTIONS: FactKey<ProjectFunctions> = {
  name: "project-functions-by-name",
  compute: (facts) => new ProjectFunctions(facts),
};
