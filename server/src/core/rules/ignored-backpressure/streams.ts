// Recognises Node streams and WebSockets: by type where the checker knows it,
// by how the value was created where it does not (untyped JavaScript).
import * as ts from "typescript";
import { calleeIdentity, creationOf, rootOf } from "../../flow/collections";
import { skipOuterExpressions } from "../../symbols";

export type StreamKind =
  /** A Node Writable (fs.WriteStream, net.Socket, http.ServerResponse, ...). */
  | "writable"
  /** A terminal or pipe the process owns (process.stdout): Node writes to it synchronously on POSIX. */
  | "stdio"
  /** A Node Readable that is being fed with push(). */
  | "readable"
  /** A WebSocket from `ws` or the DOM. */
  | "websocket";

function hasAll(type: ts.Type, names: readonly string[]): boolean {
  return names.every((n) => type.getProperty(n) !== undefined);
}

/** The stream kind a type has, judged by the members Node's and the DOM's typings declare. */
export function streamKindOfType(checker: ts.TypeChecker, type: ts.Type): StreamKind | undefined {
  const t = checker.getNonNullableType(type);
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  // A socket with `send` and `readyState`: ws, the DOM's, Bun's and Hono's, and the many local
  // interfaces that describe one. XMLHttpRequest has both too, and is no socket.
  if (hasAll(t, ["send", "readyState"]) && !hasAll(t, ["responseText"])) return "websocket";
  // A Writable class, or the NodeJS.WritableStream interface that functions often take.
  if (hasAll(t, ["write", "writableLength"]) || hasAll(t, ["write", "end", "writable", "once"])) return hasAll(t, ["getColorDepth", "isTTY"]) ? "stdio" : "writable";
  if (hasAll(t, ["push", "readableLength", "unshift"])) return "readable";
  return undefined;
}

const WRITABLE_FACTORIES: Record<string, readonly string[]> = {
  fs: ["createWriteStream"],
  net: ["connect", "createConnection", "Socket"],
  tls: ["connect"],
  stream: ["Writable", "PassThrough", "Transform", "Duplex"],
  zlib: ["createGzip", "createGunzip", "createDeflate", "createInflate", "createBrotliCompress", "createBrotliDecompress"],
};
const READABLE_FACTORIES: Record<string, readonly string[]> = { stream: ["Readable", "PassThrough", "Transform", "Duplex"] };
const WEBSOCKET_FACTORIES: Record<string, readonly string[]> = { ws: ["default", "WebSocket"], "isomorphic-ws": ["default", "WebSocket"] };

function createdBy(program: ts.Program, checker: ts.TypeChecker, receiver: ts.Expression, table: Record<string, readonly string[]>): boolean {
  const creation = creationOf(checker, receiver);
  if (!creation) return false;
  const id = calleeIdentity(program, checker, creation.expression);
  return !!id && (table[id.module] ?? []).some((n) => id.names.includes(n));
}

/** `process.stdout` and `process.stderr`, written as such. */
function isProcessStdio(expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  return ts.isPropertyAccessExpression(e) && (e.name.text === "stdout" || e.name.text === "stderr") && ts.isIdentifier(e.expression) && e.expression.text === "process";
}

/** `out = process.stdout` as a parameter default or a variable's value: the terminal, under another name. */
function defaultsToProcessStdio(checker: ts.TypeChecker, receiver: ts.Expression): boolean {
  const e = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(e)) return false;
  const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
  return !!decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) && !!decl.initializer && isProcessStdio(decl.initializer);
}

/**
 * The element variable of a loop over `<something>.clients` (a `ws` server's
 * client set), for untyped code that broadcasts to every connection.
 */
function isClientOfServer(checker: ts.TypeChecker, receiver: ts.Expression): boolean {
  const root = rootOf(receiver);
  if (!ts.isIdentifier(root) || root !== skipOuterExpressions(receiver)) return false;
  const decl = checker.getSymbolAtLocation(root)?.valueDeclaration;
  if (!decl) return false;
  const isClients = (e: ts.Expression) => {
    const x = skipOuterExpressions(e);
    return ts.isPropertyAccessExpression(x) && x.name.text === "clients";
  };
  if (ts.isParameter(decl) && (ts.isArrowFunction(decl.parent) || ts.isFunctionExpression(decl.parent)) && decl.parent.parameters[0] === decl) {
    const call = decl.parent.parent;
    return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "forEach" && isClients(call.expression.expression);
  }
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent)) return isClients(decl.parent.parent.expression);
  return false;
}

/** The code around a send compares the receiver's `readyState` (`client.readyState === WebSocket.OPEN`): a socket's shape. */
function checksReadyState(receiver: ts.Expression): boolean {
  const key = receiverText(receiver);
  if (key === undefined) return false;
  for (let n: ts.Node | undefined = receiver.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isIfStatement(n) || ts.isConditionalExpression(n) || ts.isBinaryExpression(n)) {
      const condition = ts.isIfStatement(n) || ts.isConditionalExpression(n) ? (ts.isIfStatement(n) ? n.expression : n.condition) : n.left;
      if (mentionsReadyStateOf(condition, key)) return true;
    }
    if (ts.isFunctionLike(n)) {
      // `if (ws.readyState !== 1) return;` earlier in the callback
      const body = (n as ts.FunctionLikeDeclaration).body;
      return !!body && mentionsReadyStateOf(body, key);
    }
  }
  return false;
}

function receiverText(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? e.getText() : undefined;
}

function mentionsReadyStateOf(root: ts.Node, key: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === "readyState" && n.expression.getText() === key) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

function importsModule(file: ts.SourceFile, modules: readonly string[]): boolean {
  return file.statements.some((s) => {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) return modules.includes(s.moduleSpecifier.text);
    return ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => {
      const init = d.initializer && skipOuterExpressions(d.initializer);
      return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "require" && init.arguments.length === 1 && ts.isStringLiteralLike(init.arguments[0]) && modules.includes(init.arguments[0].text);
    });
  });
}

/** What kind of stream `receiver` is, or undefined when it is none (or cannot be told). */
export function streamKindOf(program: ts.Program, checker: ts.TypeChecker, receiver: ts.Expression, wanted: StreamKind): StreamKind | undefined {
  if (isProcessStdio(receiver) || defaultsToProcessStdio(checker, receiver)) return "stdio";
  const type = checker.getNonNullableType(checker.getTypeAtLocation(receiver));
  if (!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return streamKindOfType(checker, type);
  // Untyped: trust how the value was made, or the shape of the code around it.
  if (wanted === "writable" && createdBy(program, checker, receiver, WRITABLE_FACTORIES)) return "writable";
  if (wanted === "readable" && createdBy(program, checker, receiver, READABLE_FACTORIES)) return "readable";
  if (wanted === "websocket") {
    if (createdBy(program, checker, receiver, WEBSOCKET_FACTORIES)) return "websocket";
    if (isClientOfServer(checker, receiver) && importsModule(receiver.getSourceFile(), ["ws", "isomorphic-ws"])) return "websocket";
    if (checksReadyState(receiver)) return "websocket";
  }
  // Untyped Server-Sent Events: responses kept in a list and written to in turn.
  if (wanted === "writable" && receiver.getSourceFile().text.includes("text/event-stream")) return "writable";
  return undefined;
}
