// ignored-backpressure: a stream written to again and again while its
// "slow down" signal is ignored: `write()` returning false with no wait for
// 'drain', `push()` returning false, or a WebSocket `send()` broadcast with
// no look at `bufferedAmount`. The buffer then grows as fast as the producer.
import ts from "typescript";
import { enclosingFunction } from "../../ast/functions";
import { rangeFromOffsets } from "../../location";
import { isLiteralCollection, isPlainCollection, rootOf } from "../../flow/collections";
import { receiverKey } from "../../ast/receivers";
import { newImportEdit, usesRequire } from "../../fixes/imports";
import { isResultIgnored, isWithin, repetitionsAround, someDescendant, type Repetition } from "../../flow/repetition";
import { callsNamed, queueSites } from "../../flow/call-sites";
import type { Rule, RuleContext } from "../../rule";
import { streamKindOf, type StreamKind } from "./streams";
import { calleeName, normaliseModule, requireSpecifier, skipOuterExpressions } from "../../symbols";
import type { Fix, TextEdit } from "../../types";

export const ignoredBackpressure: Rule = {
  meta: {
    id: "ignored-backpressure",
    description: "Repeated stream writes and WebSocket sends that ignore backpressure.",
    defaultSeverity: "warning",
    fixable: true,
    hazard: "queues",
  },
  check(file, context) {
    const sites = queueSites(file);
    for (const method of ["write", "push", "send"] as const) for (const call of callsNamed(sites, method)) checkCall(call, method, context);
  },
};

const WANTED: Record<string, StreamKind> = { write: "writable", push: "readable", send: "websocket" };

function checkCall(call: ts.CallExpression, method: "write" | "push" | "send", context: RuleContext): void {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || call.arguments.length === 0) return;
  const receiver = callee.expression;
  if (method !== "send" && !isResultIgnored(call)) return;
  if (method === "push" && (isNullLiteral(call.arguments[0]) || inTransformMethod(call) || pushesUpToReadSize(call))) return;
  if (isInsidePromiseExecutor(call)) return;
  // Cheap syntactic exclusions before asking the checker: arrays are pushed to everywhere.
  if (method === "push" && isPlainCollection(receiver)) return;
  const repetition = countedRepetition(call, receiver, method, context.checker);
  if (!repetition || isPacedByTimer(repetition)) return;
  const kind = streamKindOf(context.program, context.checker, receiver, WANTED[method]);
  if (kind !== WANTED[method]) return;
  const scope: ts.Node = enclosingFunction(repetition.node) ?? call.getSourceFile();
  const receiverText = receiver.getText();
  if (method === "send") {
    if (mentions(scope, ["bufferedAmount"])) return;
    context.report({
      node: call,
      message: `\`${receiverText}.send()\` runs for every ${repetitionNoun(repetition)} and nothing checks \`bufferedAmount\`, so a slow client's send buffer grows without bound. Skip, drop or close clients whose \`bufferedAmount\` is above a limit.`,
      related: [{ node: repetition.node, message: "the repetition that keeps sending" }],
    });
    return;
  }
  if (method === "push") {
    context.report({
      node: call,
      message: `\`${receiverText}.push()\` runs for every ${repetitionNoun(repetition)} and ignores its \`false\` result, so the readable buffer grows past its high-water mark when the consumer is slow. Stop pushing when push() returns false and continue in the next \`_read()\`.`,
      related: [{ node: repetition.node, message: "the repetition that keeps pushing" }],
    });
    return;
  }
  if (mentions(scope, ["drain", "writableNeedDrain", "writableLength"])) return;
  const fix = drainFix(call, receiver, repetition, context);
  const advice = fix
    ? `Wait for 'drain' when it returns false (\`if (!${receiverText}.write(chunk)) await once(${receiverText}, "drain")\`), or use \`pipeline()\`.`
    : repetition.kind === "handler"
      ? `Connect source and destination with \`pipeline()\`, or pause the source until ${receiverText} emits 'drain'.`
      : `Use \`pipeline()\` with a readable source, or wait for 'drain' whenever write() returns false.`;
  context.report({
    node: call,
    message: `\`${receiverText}.write()\` runs for every ${repetitionNoun(repetition)} and ignores its \`false\` result, so the stream buffers everything in memory whenever its destination is slower. ${advice}`,
    related: [{ node: repetition.node, message: "the repetition that keeps writing" }],
    fixes: fix ? [fix] : [],
  });
}

const SLEEPS = /^(sleep|delay|wait|setTimeout|timeout|pause)$/;

/** A loop that awaits a sleep on every turn (`await sleep(1000)`) writes at the pace of its timer. */
function isPacedByTimer(r: Repetition): boolean {
  if (r.kind !== "loop") return false;
  return someDescendant((r.node as ts.IterationStatement).statement, (n) => {
    if (!ts.isAwaitExpression(n)) return false;
    const e = skipOuterExpressions(n.expression);
    if (ts.isCallExpression(e)) return SLEEPS.test(calleeName(e.expression) ?? "");
    return ts.isNewExpression(e) && someDescendant(e, (x) => ts.isIdentifier(x) && x.text === "setTimeout");
  });
}

function isNullLiteral(e: ts.Expression): boolean {
  return skipOuterExpressions(e).kind === ts.SyntaxKind.NullKeyword;
}

/** A Transform's `_transform`/`_flush` may push freely: Node holds the next input back until the readable side drains. */
function inTransformMethod(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  const name = fn && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : fn && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  return name === "_transform" || name === "_flush" || name === "transform" || name === "flush";
}

/** `_read(size)` that counts its pushes against `size` honours the request it was given. */
function pushesUpToReadSize(call: ts.CallExpression): boolean {
  const fn = enclosingFunction(call);
  const name = fn?.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  const size = fn?.parameters[0]?.name;
  if ((name !== "_read" && name !== "read") || !size || !ts.isIdentifier(size)) return false;
  const loop = repetitionsAround(call).find((r) => r.kind === "loop");
  return !!loop && someDescendant(loop.node, (n) => ts.isIdentifier(n) && n.text === size.text && n !== size);
}

function isInsidePromiseExecutor(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !!fn && !!fn.parent && ts.isNewExpression(fn.parent) && ts.isIdentifier(fn.parent.expression) && fn.parent.expression.text === "Promise";
}

/** The binding of a loop variable or an iteration callback's parameter: one per element. */
function isElementBinding(decl: ts.Node, r: Repetition): boolean {
  if (r.kind === "iteration") return ts.isParameter(decl) && decl.parent === r.node;
  if (r.kind === "loop" && (ts.isForOfStatement(r.node) || ts.isForInStatement(r.node))) return isWithin(decl, r.node.initializer);
  return false;
}

/**
 * The repetition that makes this call write to the same stream again and
 * again, or to many streams in turn (a broadcast). A stream made afresh on
 * each iteration or per event (`const out = createWriteStream(f)` in a loop,
 * the socket of a 'connection' event) is written once per stream: look further out.
 */
function countedRepetition(call: ts.CallExpression, receiver: ts.Expression, method: string, checker: ts.TypeChecker): Repetition | undefined {
  const reps = repetitionsAround(call).filter((r) => (method === "send" ? r.kind === "loop" || r.kind === "iteration" : true));
  if (reps.length === 0) return undefined;
  const root = rootOf(receiver);
  const decl = ts.isIdentifier(root) ? checker.getSymbolAtLocation(root)?.valueDeclaration : undefined;
  for (const r of reps) {
    // A loop over a handful of known elements writes a handful of times.
    if (iteratesBoundedCollection(r, checker)) continue;
    if (!decl || !isWithin(decl, r.node)) return r;
    if (isElementBinding(decl, r)) return r;
  }
  return undefined;
}

function iteratesBoundedCollection(r: Repetition, checker: ts.TypeChecker): boolean {
  if (r.kind === "iteration" && r.call && ts.isPropertyAccessExpression(r.call.expression)) return isLiteralCollection(checker, r.call.expression.expression);
  if (r.kind !== "loop") return false;
  const loop = r.node;
  if (ts.isForOfStatement(loop)) return !loop.awaitModifier && isLiteralCollection(checker, loop.expression);
  // for (let i = 0; i < 3; i++)
  if (ts.isForStatement(loop) && loop.condition && ts.isBinaryExpression(loop.condition)) return ts.isNumericLiteral(skipOuterExpressions(loop.condition.right));
  return false;
}

function repetitionNoun(r: Repetition): string {
  if (r.kind === "handler") return r.event !== undefined ? `'${r.event}' event` : "event it listens to";
  if (r.kind === "interval") return "tick of an interval";
  if (r.kind === "iteration") return "element it iterates over";
  return "turn of this loop";
}

function mentions(scope: ts.Node, words: readonly string[]): boolean {
  return someDescendant(scope, (n) => (ts.isStringLiteralLike(n) || ts.isIdentifier(n)) && words.includes(n.text));
}

// The fix: `if (!out.write(chunk)) await once(out, "drain");`, with `once` imported from node:events.

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return !!ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

function drainFix(call: ts.CallExpression, receiver: ts.Expression, repetition: Repetition, context: RuleContext): Fix | undefined {
  const statement = call.parent;
  if (!ts.isExpressionStatement(statement) || repetition.kind !== "loop") return undefined;
  const fn = enclosingFunction(call);
  if (!fn || !isAsync(fn) || enclosingFunction(repetition.node) !== fn) return undefined;
  if (receiverKey(receiver) === undefined) return undefined;
  const file = call.getSourceFile();
  const once = onceBinding(file, call, context.checker);
  if (!once) return undefined;
  const edits: TextEdit[] = [];
  if (once.importEdit) edits.push(once.importEdit);
  edits.push({
    file: file.fileName,
    range: rangeFromOffsets(file, statement.getStart(file), statement.getEnd()),
    newText: `if (!${call.getText(file)}) await ${once.name}(${receiver.getText(file)}, "drain");`,
  });
  return { title: `Wait for 'drain' when ${receiver.getText(file)}.write() returns false`, edits, isPreferred: true };
}

function isEventsModule(specifier: string): boolean {
  return normaliseModule(specifier) === "events";
}

/** How to call events.once here: an existing import, or a new one and the edit that adds it. */
function onceBinding(file: ts.SourceFile, at: ts.Node, checker: ts.TypeChecker): { name: string; importEdit?: TextEdit } | undefined {
  for (const st of file.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (!isEventsModule(st.moduleSpecifier.text) || !clause || clause.isTypeOnly) continue;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        const spec = bindings.elements.find((s) => !s.isTypeOnly && (s.propertyName ?? s.name).text === "once");
        if (spec) return { name: spec.name.text };
      }
      // A namespace or default import of "events" types as the EventEmitter class under some
      // compiler settings, where `.once` does not type-check: add a named import instead.
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const spec = requireSpecifier(d.initializer);
        if (spec === undefined || !isEventsModule(spec)) continue;
        if (ts.isIdentifier(d.name)) return { name: `${d.name.text}.once` };
        if (ts.isObjectBindingPattern(d.name)) {
          const el = d.name.elements.find((b) => ((b.propertyName ?? b.name) as ts.Identifier).text === "once" && ts.isIdentifier(b.name));
          if (el) return { name: (el.name as ts.Identifier).text };
        }
      }
    }
  }
  // Another `once` in scope would be shadowed or clash with the new import.
  if (checker.resolveName("once", at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias, false) !== undefined) return undefined;
  // A CommonJS file gets a require; an import there would not run.
  const cjs = usesRequire(file);
  const text = cjs ? `const { once } = require("node:events");` : `import { once } from "node:events";`;
  return { name: "once", importEdit: newImportEdit(file, text, cjs) };
}
