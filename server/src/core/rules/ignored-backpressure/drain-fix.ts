// The fix for a write loop that ignores backpressure:
//   if (!out.write(chunk)) await waitForDrain(out);
// with a small local helper added at the end of the file. `once(out, "drain")`
// alone is not enough: when the reader goes away (an HTTP client disconnects)
// the stream closes without ever draining and the loop would wait forever, so
// the helper also settles on 'close' and rejects on 'error', removing its
// listeners either way, and does not wait at all on a stream already destroyed.
import ts from "typescript";
import { receiverKey } from "../../ast/receivers";
import { enclosingFunction, isAsyncFunction } from "../../ast/functions";
import type { Repetition } from "../../flow/repetition";
import { rangeFromOffsets } from "../../location";
import type { RuleContext } from "../../rule";
import type { Fix, TextEdit } from "../../types";

export const DRAIN_HELPER = "waitForDrain";

const helperBody = (errorParameter: string) => `
  return new Promise((resolve, reject) => {
    if (stream.destroyed) {
      resolve();
      return;
    }
    const settle = (${errorParameter}) => {
      stream.off("drain", settle);
      stream.off("close", settle);
      stream.off("error", settle);
      if (error) reject(error);
      else resolve();
    };
    stream.on("drain", settle);
    stream.on("close", settle);
    stream.on("error", settle);
  });
}
`;

const DOC = `
/** Resolves when \`stream\` drains or closes, rejects when it fails: a reader that went away never drains. */`;

// Structural, so any writable passes: a Node Writable, an http.ServerResponse, a NodeJS.WritableStream.
const HELPER_TS = `${DOC}
function ${DRAIN_HELPER}(stream: { readonly destroyed?: boolean; on(event: string, listener: (error?: unknown) => void): unknown; off(event: string, listener: (error?: unknown) => void): unknown }): Promise<void> {${helperBody("error?: unknown")}`;

const HELPER_JS = `${DOC}
function ${DRAIN_HELPER}(stream) {${helperBody("error")}`;

function hasHelper(file: ts.SourceFile): boolean {
  return file.statements.some((s) => ts.isFunctionDeclaration(s) && s.name?.text === DRAIN_HELPER);
}

export function drainFix(call: ts.CallExpression, receiver: ts.Expression, repetition: Repetition, context: RuleContext): Fix | undefined {
  const statement = call.parent;
  if (!ts.isExpressionStatement(statement) || repetition.kind !== "loop") return undefined;
  const fn = enclosingFunction(call);
  if (!fn || !isAsyncFunction(fn) || enclosingFunction(repetition.node) !== fn) return undefined;
  if (receiverKey(receiver) === undefined) return undefined;
  const file = call.getSourceFile();
  const edits: TextEdit[] = [];
  if (!hasHelper(file)) {
    // Another binding of the name in scope would be shadowed by, or clash with, the helper.
    if (context.checker.resolveName(DRAIN_HELPER, call, ts.SymbolFlags.Value | ts.SymbolFlags.Alias, false) !== undefined) return undefined;
    const end = file.getEnd();
    edits.push({ file: file.fileName, range: rangeFromOffsets(file, end, end), newText: /\.[cm]?tsx?$/.test(file.fileName) ? HELPER_TS : HELPER_JS });
  }
  edits.push({
    file: file.fileName,
    range: rangeFromOffsets(file, statement.getStart(file), statement.getEnd()),
    newText: `if (!${call.getText(file)}) await ${DRAIN_HELPER}(${receiver.getText(file)});`,
  });
  return { title: `Wait for 'drain' when ${receiver.getText(file)}.write() returns false, giving up if it closes`, edits, isPreferred: true };
}
