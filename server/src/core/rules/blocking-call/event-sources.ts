// Long-lived event sources: child processes, servers, sockets and streams. A
// listener a program registers on one runs on the loop for as long as the
// program serves (a daemon's 'exit' handler for each child it supervises, a
// server's 'connection' handler), so what it blocks it blocks for everything
// else. Listeners on emitters in general are not counted: most are one-shot
// commands or start-up, and a rule that counted them would be wrong too often.
//
// The receiver is recognised by its type where the checker knows it, and in
// untyped code by the call that made it (`fork(…)`, `cluster.fork()`,
// `net.createServer()`), following variables to their assignments and a
// callback's parameter to what the function taking the callback passes it
// (`God.nodeApp(env, function (err, clu) { clu.once("exit", …) })`, where
// `nodeApp` calls `cb(null, cluster.fork(…))`).
import ts from "typescript";
import { argumentSite } from "../../ast/functions";
import { assignedValues } from "../../ast/assignments";
import { thisFieldValues } from "../../ast/class-fields";
import { LONG_LIVED_SOURCE_FACTORIES, SERVER_CONSTRUCTOR_NAME, SERVER_FACTORIES, SERVER_FACTORY_NAME } from "../../catalogue/callbacks";
import type { FactKey, ProjectFacts } from "../../facts";
import { calleeIdentity } from "../../flow/collections";
import { calleeName, skipOuterExpressions } from "../../symbols";
import { PROJECT_FUNCTIONS } from "./project-functions";

const SERVER_FACTORY_NAMES: ReadonlySet<string> = new Set(Object.values(SERVER_FACTORIES).flat());

/** How many values, assignments and callback hops to follow from a receiver to what made it. */
const MAX_HOPS = 4;

function hasAll(type: ts.Type, names: readonly string[]): boolean {
  return names.every((n) => type.getProperty(n) !== undefined);
}

/** net, http, https, tls and http2 servers, by the members Node's typings declare. */
function isServerType(type: ts.Type): boolean {
  return hasAll(type, ["on", "once", "listen", "close", "address"]);
}

/** Judged by the members Node's typings declare, so that subclasses and local interfaces count too. */
function isSourceType(type: ts.Type): boolean {
  if (!hasAll(type, ["on", "once"])) return false;
  return (
    hasAll(type, ["pid", "kill", "stdio"]) || // child_process.ChildProcess
    hasAll(type, ["process", "kill", "isDead"]) || // cluster.Worker
    hasAll(type, ["threadId", "terminate", "postMessage"]) || // worker_threads.Worker
    isServerType(type) ||
    hasAll(type, ["write", "end", "remoteAddress"]) || // net.Socket, tls.TLSSocket
    hasAll(type, ["pipe", "readableLength"]) || // a Readable stream
    hasAll(type, ["write", "writableLength"]) // a Writable stream
  );
}

export class EventSources {
  private readonly verdicts = new Map<ts.Node, boolean>();
  private readonly servers = new Map<ts.Node, boolean>();

  constructor(private readonly facts: ProjectFacts) {}

  /** True when listeners registered on `receiver` (`receiver.on(…)`) listen to a long-lived event source. */
  isLongLived(receiver: ts.Expression): boolean {
    let known = this.verdicts.get(receiver);
    if (known === undefined) this.verdicts.set(receiver, (known = this.holdsSource(receiver, 0)));
    return known;
  }

  /** `http.createServer(handler)`: the call makes a server and registers its argument as the request listener. */
  isServerFactory(call: ts.CallExpression): boolean {
    // By name first: most calls that take a function are not, and resolving one costs a checker call.
    return SERVER_FACTORY_NAMES.has(calleeName(call.expression) ?? "") && this.isMadeBy(call, SERVER_FACTORIES);
  }

  /**
   * True when `receiver` is a server: a Node server by its type; else, as in
   * untyped code or a library's own server class, a value made by a
   * constructor or factory named as a server (`new rpc.Server(sock)`).
   */
  isServer(receiver: ts.Expression): boolean {
    let known = this.servers.get(receiver);
    if (known === undefined) this.servers.set(receiver, (known = this.holdsServer(receiver, 0)));
    return known;
  }

  private holdsServer(expr: ts.Expression, hops: number): boolean {
    if (hops > MAX_HOPS) return false;
    const e = skipOuterExpressions(expr);
    const { checker } = this.facts;
    if (isServerType(checker.getNonNullableType(checker.getTypeAtLocation(e)))) return true;
    if (ts.isNewExpression(e)) return SERVER_CONSTRUCTOR_NAME.test(calleeName(e.expression) ?? "");
    if (ts.isCallExpression(e)) return SERVER_FACTORY_NAME.test(calleeName(e.expression) ?? "");
    return this.valuesOf(e).some((v) => this.holdsServer(v, hops + 1));
  }

  private isMadeBy(creation: ts.CallExpression | ts.NewExpression, factories: Readonly<Record<string, readonly string[]>>): boolean {
    const { checker, program } = this.facts;
    const id = calleeIdentity(program, checker, creation.expression);
    return !!id && (factories[id.module] ?? []).some((n) => id.names.includes(n));
  }

  private holdsSource(expr: ts.Expression, hops: number): boolean {
    if (hops > MAX_HOPS) return false;
    const { checker } = this.facts;
    const e = skipOuterExpressions(expr);
    // `process.stdin.on("data", …)`: a program's own standard streams are how a command-line tool takes its input.
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "process") return false;
    const type = checker.getNonNullableType(checker.getTypeAtLocation(e));
    if (isSourceType(type)) return true;
    // An emitter of another kind, by its type. Without a usable type (untyped code, or overloads the
    // checker could not match, which leave `never`), what made the value says what it is.
    if (type.getProperty("on") !== undefined) return false;
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) return this.isMadeBy(e, LONG_LIVED_SOURCE_FACTORIES);
    return this.valuesOf(e).some((v) => this.holdsSource(v, hops + 1));
  }

  /** What an untyped receiver is given: a variable's initializer and assignments, a field's, a callback parameter's arguments. */
  private valuesOf(e: ts.Expression): ts.Expression[] {
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return thisFieldValues(e, e.name.text);
    if (!ts.isIdentifier(e)) return [];
    const decl = this.facts.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl) return [];
    if (ts.isVariableDeclaration(decl)) return assignedValues(this.facts.checker, decl);
    if (ts.isParameter(decl)) return this.callbackArguments(decl);
    return [];
  }

  /**
   * The values a callback's parameter receives: in the function the callback is
   * passed to, the arguments at the parameter's position of each call of the
   * callback (`cb(null, child)`).
   */
  private callbackArguments(param: ts.ParameterDeclaration): ts.Expression[] {
    const fn = param.parent;
    const site = ts.isFunctionLike(fn) ? argumentSite(fn as ts.FunctionLikeDeclaration) : undefined;
    if (site === undefined) return [];
    const position = fn.parameters.indexOf(param);
    const callback = this.facts.get(PROJECT_FUNCTIONS).callbackParameter(site.call, site.index);
    if (callback === undefined) return [];
    const out: ts.Expression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === callback.name && n.arguments[position]) out.push(n.arguments[position]);
      ts.forEachChild(n, visit);
    };
    visit(callback.body);
    return out;
  }
}

export const EVENT_SOURCES: FactKey<EventSources> = {
  name: "long-lived-event-sources",
  compute: (facts) => new EventSources(facts),
};
