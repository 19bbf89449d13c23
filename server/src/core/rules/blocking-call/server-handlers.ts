// Handlers registered on a server: a function given to one of its methods
// (`server.expose({ stopProcessId: God.stopProcessId })`, `io.use(fn)`,
// `rpc.method("ping", fn)`) runs once per request for as long as the process
// serves, so it is async code as much as a listener on a socket is. The
// server's lifecycle callbacks (`listen`, `close`) run once and do not count.
// A handler is often written in another file than the one that registers it
// (pm2's daemon exposes the methods God's modules define), so the project's
// registrations are collected once, by the function they register.
import ts from "typescript";
import { SERVER_LIFECYCLE_METHODS } from "../../catalogue/callbacks";
import type { FactKey, ProjectFacts } from "../../facts";
import { skipOuterExpressions } from "../../symbols";
import { projectSourceFiles } from "./blocking-calls";
import { EVENT_SOURCES } from "./event-sources";
import { PROJECT_FUNCTIONS } from "./project-functions";

/**
 * A file that makes no server (`new rpc.Server(…)`, `http.createServer()`) is
 * not searched: a server is followed to its registrations through variables
 * and fields, which stay in the file that made it.
 */
const MAKES_SERVER = /new\s+[\w$.]*Server\s*\(|create\w*Server\s*\(/;

export class ServerHandlers {
  private handlers: Set<ts.FunctionLikeDeclaration> | undefined;
  private files: Set<ts.SourceFile> | undefined;

  constructor(private readonly facts: ProjectFacts) {}

  /** True when `fn` is registered as a handler on a server somewhere in the project. */
  has(fn: ts.FunctionLikeDeclaration): boolean {
    return this.collected().has(fn);
  }

  /** True when the file defines a function registered as a server handler. */
  definesHandlerIn(file: ts.SourceFile): boolean {
    this.collected();
    return this.files!.has(file);
  }

  private collected(): Set<ts.FunctionLikeDeclaration> {
    if (this.handlers) return this.handlers;
    const handlers = new Set<ts.FunctionLikeDeclaration>();
    for (const file of projectSourceFiles(this.facts.program)) {
      if (!MAKES_SERVER.test(file.text)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) this.registered(node).forEach((fn) => handlers.add(fn));
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    this.handlers = handlers;
    this.files = new Set([...handlers].map((fn) => fn.getSourceFile()));
    return handlers;
  }

  /** The functions `server.method(…)` registers, when its receiver is a server. */
  private registered(call: ts.CallExpression): ts.FunctionLikeDeclaration[] {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || SERVER_LIFECYCLE_METHODS.has(callee.name.text)) return [];
    // Syntax first: most calls give no function, and resolving a receiver or a reference costs checker calls.
    if (!call.arguments.some(mayGiveFunction) || !this.facts.get(EVENT_SOURCES).isServer(callee.expression)) return [];
    return call.arguments.flatMap((a) => this.functionsIn(a));
  }

  /** A function argument, or the functions of a table of them (`{ ping: God.ping, stop() {…} }`). */
  private functionsIn(argument: ts.Expression): ts.FunctionLikeDeclaration[] {
    const e = skipOuterExpressions(argument);
    if (!ts.isObjectLiteralExpression(e)) return this.functionOf(e);
    return e.properties.flatMap((p) => {
      if (ts.isMethodDeclaration(p)) return [p];
      if (ts.isPropertyAssignment(p)) return this.functionOf(p.initializer);
      if (ts.isShorthandPropertyAssignment(p)) return this.functionOf(p.name);
      return [];
    });
  }

  /** The function an expression gives: written in place, named, or bound (`handler.bind(this)`). */
  private functionOf(expr: ts.Expression): ts.FunctionLikeDeclaration[] {
    const e = skipOuterExpressions(expr);
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return [e];
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "bind") return this.functionOf(e.expression.expression);
    if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return [];
    const fn = this.facts.get(PROJECT_FUNCTIONS).functionOf(e);
    return fn ? [fn] : [];
  }
}

function mayGiveFunction(argument: ts.Expression): boolean {
  const e = skipOuterExpressions(argument);
  return ts.isFunctionExpression(e) || ts.isArrowFunction(e) || ts.isObjectLiteralExpression(e) || ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isCallExpression(e);
}

export const SERVER_HANDLERS: FactKey<ServerHandlers> = {
  name: "server-handlers",
  compute: (facts) => new ServerHandlers(facts),
};
