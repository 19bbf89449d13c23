// The "ignore on this line" fix: a suppression directive above the line the
// finding starts on, indented like it, with a reason for the reader to fill in.
// A default import: `import * as` would route every `ts.` access through a getter, which shows in whole-project walks.
import ts from "typescript";
import { rangeFromOffsets } from "../location";
import type { Fix } from "../types";

/** Nodes whose text a line comment cannot be placed in: a `//` there would become part of it. */
function isVerbatim(n: ts.Node): boolean {
  return ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isStringLiteral(n) || ts.isJsxElement(n) || ts.isJsxFragment(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxText(n);
}

/** Statement lists, where a line of its own always holds a comment safely. */
function isStatementList(n: ts.Node): boolean {
  return ts.isBlock(n) || ts.isModuleBlock(n) || ts.isSourceFile(n) || ts.isCaseClause(n) || ts.isDefaultClause(n);
}

/** True when a line comment can be placed on its own line right before offset `pos`. */
function lineAcceptsComment(file: ts.SourceFile, pos: number): boolean {
  const chain: ts.Node[] = [];
  let current: ts.Node = file;
  for (;;) {
    chain.push(current);
    const next: ts.Node | undefined = ts.forEachChild(current, (c) => (c.getStart(file) <= pos && pos < c.getEnd() ? c : undefined));
    if (!next) break;
    current = next;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i];
    if (isStatementList(n)) return true;
    if (isVerbatim(n) && n.getStart(file) < pos) return false;
  }
  return true;
}

/** Undefined when the line starts inside a string, template or JSX text. */
export function ignoreLineFix(node: ts.Node, ruleId: string): Fix | undefined {
  const file = node.getSourceFile();
  return ignoreLineFixAt(file, node.getStart(file), ruleId);
}

/** The same for a finding known by its start offset (the language server offers it for every rule). */
export function ignoreLineFixAt(file: ts.SourceFile, start: number, ruleId: string): Fix | undefined {
  const { line } = file.getLineAndCharacterOfPosition(start);
  const lineStart = file.getPositionOfLineAndCharacter(line, 0);
  const indent = /^[ \t]*/.exec(file.text.slice(lineStart, start))?.[0] ?? "";
  if (!lineAcceptsComment(file, lineStart + indent.length)) return undefined;
  return {
    title: `Ignore ${ruleId} on this line`,
    isPreferred: false,
    edits: [{ file: file.fileName, range: rangeFromOffsets(file, lineStart, lineStart), newText: `${indent}// async-lens-ignore-next-line ${ruleId} -- <reason>\n` }],
  };
}
