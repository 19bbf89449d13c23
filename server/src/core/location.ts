import ts from "typescript";
import type { Location, Range } from "./types";

export function rangeOf(node: ts.Node, file: ts.SourceFile = node.getSourceFile()): Range {
  return rangeFromOffsets(file, node.getStart(file), node.getEnd());
}

export function rangeFromOffsets(file: ts.SourceFile, start: number, end: number): Range {
  const s = file.getLineAndCharacterOfPosition(start);
  const e = file.getLineAndCharacterOfPosition(end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

export function locationOf(node: ts.Node): Location {
  const file = node.getSourceFile();
  return { file: file.fileName, range: rangeOf(node, file) };
}
