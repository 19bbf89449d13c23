// The project function a call runs, where the checker cannot tell: in
// untyped JavaScript, methods are often attached to an object passed around
// (`God.killProcess = function (…) {…}` in one file, `God.killProcess(…)` in
// another). The only function the project stores under the called name is
// then the one the call runs; a name stored twice tells nothing.
import ts from "typescript";
import { isFunctionWithBody } from "../../ast/functions";
import type { FactKey, ProjectFacts } from "../../facts";
import { calleeName, projectFunctionOf, resolveCallee } from "../../symbols";
import { projectSourceFiles } from "./blocking-calls";
import { storageNameOf } from "./name-index";

/** The functions of the project stored under a name (`function f`, `x.f = function`, `f() {}` in a class), by name. */
function storedFunctions(file: ts.SourceFile): Map<string, ts.FunctionLikeDeclaration[]> {
  const out = new Map<string, ts.FunctionLikeDeclaration[]>();
  const visit = (node: ts.Node): void => {
    if (isFunctionWithBody(node)) {
      const name = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) ? (node.name && ts.isIdentifier(node.name) ? node.name.text : undefined) : storageNameOf(node);
      if (name !== undefined) out.set(name, [...(out.get(name) ?? []), node]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

export class ProjectFunctions {
  private byName: Map<string, ts.FunctionLikeDeclaration[]> | undefined;

  constructor(private readonly facts: ProjectFacts) {}

  /** The project function a call runs: by symbol, else the only one the project stores under the called name. */
  calleeOf(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
    const { program, checker } = this.facts;
    const byChecker = projectFunctionOf(resolveCallee(program, checker, call.expression));
    if (byChecker) return byChecker;
    const name = calleeName(call.expression);
    const candidates = name === undefined ? undefined : this.functionsNamed().get(name);
    return candidates?.length === 1 ? candidates[0] : undefined;
  }

  private functionsNamed(): Map<string, ts.FunctionLikeDeclaration[]> {
    if (this.byName) return this.byName;
    this.byName = new Map();
    for (const file of projectSourceFiles(this.facts.program)) {
      for (const [name, fns] of this.facts.perFile("stored-functions", file, () => storedFunctions(file))) this.byName.set(name, [...(this.byName.get(name) ?? []), ...fns]);
    }
    return this.byName;
  }
}

export const PROJECT_FUNCTIONS: FactKey<ProjectFunctions> = {
  name: "project-functions-by-name",
  compute: (facts) => new ProjectFunctions(facts),
};
