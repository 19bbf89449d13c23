// Handlers registered on a server: a function given to one of its methods
// (`server.expose({ stopProcessId: God.stopProcessId })`, `io.use(fn)`,
// `rpc.method("ping", fn)`) runs once per request for as long as the process
// serves, so it is async code as much as a listener on a socket is. The
// server's lifecycle callbacks (`listen`, `close`) run once and do not count.
// A handler is often written in another file than the one that registers it
// (pm2's daemon exposes the methods God's modules define), so the project's
// registrations are collected once, by the function they register. Each
// file's registrations are kept between analyses while neither it nor a file
// holding one of its handlers changes, named by the file and position of the
// function, not by its node: the language server would otherwise search every
// server-making file again on each keystroke.
import ts from "typescript";
import { SERVER_LIFECYCLE_METHODS } from "../../catalogue/callbacks";
import type { FactKey, ProjectFacts } from "../../facts";
import { nodeAt } from "../../ast/text-scan";
import { skipOuterExpressions } from "../../symbols";
import { projectSourceFiles } from "./blocking-calls";
import { EVENT_SOURCES } from "./event-sources";
import { storageNameOf } from "./name-index";
import { PROJECT_FUNCTIONS } from "./project-functions";

/**
 * A file that makes no server (`new rpc.Server(…)`, `http.createServer()`) is
 * not searched: a server is followed to its registrations through variables
 * and fields, which stay in the file that made it.
 */
const MAKES_SERVER = /new\s+[\w$.]*Server\s*\(|create\w*Server\s*\(/;
const MAKES_SERVER_ALL = new RegExp(MAKES_SERVER.source, "g");

/** The handlers a file registers, and the files that hold them as they were then. */
interface Registrations {
  keys: string[];
  handlerFiles: Map<string, ts.SourceFile>;
}

const registrationsByFile = new WeakMap<ts.SourceFile, Registrations>();
/** What a file that makes no server registers. */
const NONE: Registrations = { keys: [], handlerFiles: new Map() };

export class ServerHandlers {
  private handlers: Set<string> | undefined;
  private files: Set<string> | undefined;

  constructor(private readonly facts: ProjectFacts) {}

  /** True when `fn` is registered as a handler on a server somewhere in the project. */
  has(fn: ts.FunctionLikeDeclaration): boolean {
    return this.collected().has(handlerKey(fn));
  }

  /** True when the file defines a function registered as a server handler. */
  definesHandlerIn(file: ts.SourceFile): boolean {
    this.collected();
    return this.files!.has(file.fileName);
  }

  private collected(): Set<string> {
    if (this.handlers) return this.handlers;
    const handlers = new Set<string>();
    const files = new Set<string>();
    for (const file of projectSourceFiles(this.facts.program)) {
      let known = registrationsByFile.get(file);
      if (known === undefined || [...known.handlerFiles].some(([name, source]) => this.facts.program.getSourceFile(name) !== source)) {
        known = MAKES_SERVER.test(file.text) ? this.registeredIn(file) : NONE;
        registrationsByFile.set(file, known);
      }
      for (const key of known.keys) handlers.add(key);
      for (const name of known.handlerFiles.keys()) files.add(name);
    }
    this.handlers = handlers;
    this.files = files;
    return handlers;
  }

  private registeredIn(file: ts.SourceFile): Registrations {
    const found: Registrations = { keys: [], handlerFiles: new Map() };
    const servers = serverNames(file);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && mayBeServer(node, servers)) {
        for (const fn of this.registered(node)) {
          found.keys.push(handlerKey(fn));
          found.handlerFiles.set(fn.getSourceFile().fileName, fn.getSourceFile());
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
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

/**
 * The names the file stores the servers it makes under (`const server = new
 * rpc.Server(…)`, `this.server = http.createServer()`): only a call on one of
 * them, or on a server made in place, is worth the checker's questions.
 */
function serverNames(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const m of file.text.matchAll(MAKES_SERVER_ALL)) {
    // A match in a comment or a string has no creation around it.
    let node: ts.Node | undefined = nodeAt(file, m.index + m[0].length - 1);
    while (node !== undefined && !ts.isNewExpression(node) && !ts.isCallExpression(node)) node = node.parent;
    if (node === undefined) continue;
    const stored = storageNameOf(node);
    if (stored !== undefined) names.add(stored);
  }
  return names;
}

/** `server.expose(…)`, `this.server.use(…)`, `new Server(…).method(…)`: a call on a name a server is stored under, or on one made in place. */
function mayBeServer(call: ts.CallExpression, servers: ReadonlySet<string>): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (ts.isNewExpression(receiver) || ts.isCallExpression(receiver)) return true;
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  return name !== undefined && servers.has(name);
}

function handlerKey(fn: ts.FunctionLikeDeclaration): string {
  return `${fn.getSourceFile().fileName}:${fn.getStart()}`;
}

function mayGiveFunction(argument: ts.Expression): boolean {
  const e = skipOuterExpressions(argument);
  return ts.isFunctionExpression(e) || ts.isArrowFunction(e) || ts.isObjectLiteralExpression(e) || ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isCallExpression(e);
}

export const SERVER_HANDLERS: FactKey<ServerHandlers> = {
  name: "server-handlers",
  compute: (facts) => new ServerHandlers(facts),
};
