// Re-analysing a file after an edit to it alone: which parts must be checked
// again, and which findings of the previous analysis still hold where they are,
// moved by the edit.
//
// A file is cut into units: class members, and top-level statements outside
// them. The units the edit touches are checked again, and so is every unit that
// names something a checked unit declares (a method it calls, a constant it
// reads), for as many rounds as a call chain may have hops: its chains may run
// through the edited code. Every other unit keeps its findings. What a unit
// cannot see by name, such as a type inferred from the edited code, the
// language server leaves to the full analysis it runs once typing pauses.
import ts from "typescript";
import { isAsyncFunction } from "./ast/functions";
import { append, isUnit, unitMemo } from "./ast/unit-memo";
import { skipOuterExpressions } from "./symbols";
import { textChange, type TextChange } from "./text-change";
import type { Finding, Position } from "./types";

export interface PartialPlan {
  /** False for a node in a unit whose findings are kept: a rule may skip its work there. */
  inScope(node: ts.Node): boolean;
  /** True for a node no part of which is checked again: a walk may skip it whole. */
  skips(node: ts.Node): boolean;
  /** Whether a finding of this analysis, anchored at `range`, belongs to the units checked again. */
  covers(finding: Finding): boolean;
  /** The previous findings of the units not checked again, moved to the new text. */
  kept: Finding[];
}

/**
 * The plan for re-analysing `file`, whose previous text was `previousText`
 * with findings `previous` (before suppressions); undefined when the edit
 * reaches most of the file, where a full analysis costs as much.
 */
export function planPartialAnalysis(file: ts.SourceFile, previousText: string, previous: readonly Finding[], rounds: number): PartialPlan | undefined {
  const change = textChange(previousText, file.text);
  const units = collectUnits(file);
  const scope = new Set<ts.Node>();
  // The units that own the changed text: the innermost ones at its ends, and every one inside it.
  for (const offset of [change.start, change.newEnd]) {
    const unit = unitAt(file, Math.min(offset, file.end - 1));
    if (unit !== undefined) scope.add(unit);
  }
  for (const unit of units.all) if (unit.pos >= change.start && unit.end <= change.newEnd) scope.add(unit);
  extendByNames(scope, units, file.text, rounds);
  // TypeScript's own line map, which counts line breaks as the findings' positions did.
  const before: ts.SourceFileLike = { text: previousText, getLineAndCharacterOfPosition: (pos) => ts.getLineAndCharacterOfPosition(before, pos) };
  const kept: Finding[] = [];
  for (const finding of previous) {
    if (finding.file !== file.fileName) continue;
    const anchor = movedOffset(offsetAt(before, finding.range.start), change);
    const unit = anchor === undefined ? undefined : unitAt(file, anchor);
    if (unit === undefined || scope.has(unit)) continue;
    const moved = moveFinding(finding, file, before, change);
    // A finding that names a place checked again (the other side of a lock-order pair, a hop of a chain) may change with it.
    const namesCheckedPlace = (r: Finding["related"][number]) => {
      const at = r.location.file === file.fileName ? unitAt(file, offsetAt(file, r.location.range.start)) : undefined;
      return at !== undefined && scope.has(at);
    };
    if (moved === undefined || moved.related.some(namesCheckedPlace)) scope.add(unit);
    else kept.push(moved);
  }
  if (scope.size > units.all.length / 2) return undefined;
  const holdsScope = new Set<ts.Node>();
  for (const unit of scope) for (let n = unit.parent; n !== undefined; n = n.parent) holdsScope.add(n);
  return {
    skips: (node) => isUnit(node) && !scope.has(node) && !holdsScope.has(node),
    inScope: (node) => {
      const unit = unitOf(node);
      return unit === undefined || scope.has(unit);
    },
    covers: (finding) => {
      const unit = unitAt(file, offsetAt(file, finding.range.start));
      return unit === undefined || scope.has(unit);
    },
    kept: kept.filter((f) => {
      // A finding moved into a unit that another finding's broken position put in scope is checked again too.
      const unit = unitAt(file, offsetAt(file, f.range.start));
      return unit !== undefined && !scope.has(unit);
    }),
  };
}

function unitOf(node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = node; n !== undefined; n = n.parent) if (isUnit(n)) return n;
  return undefined;
}

/** The innermost unit whose text holds `offset`. */
function unitAt(file: ts.SourceFile, offset: number): ts.Node | undefined {
  return innermostAt(file, offset).unit;
}

/** The innermost node at `offset`, and the innermost unit holding it. */
function innermostAt(file: ts.SourceFile, offset: number): { node: ts.Node; unit: ts.Node | undefined } {
  let unit: ts.Node | undefined;
  let node: ts.Node = file;
  for (;;) {
    const child: ts.Node | undefined = ts.forEachChild(node, (c) => (c.pos <= offset && offset < c.end ? c : undefined));
    if (child === undefined) return { node, unit };
    if (isUnit(child)) unit = child;
    node = child;
  }
}

interface Units {
  all: ts.Node[];
  /** The names each unit declares for the rest of the file: a member's name, a function's, a variable's. */
  declares: Map<ts.Node, string[]>;
}

function collectUnits(file: ts.SourceFile): Units {
  const units: Units = { all: [], declares: new Map() };
  // The end-of-file token is a unit too: it holds the comments after the last statement.
  for (const statement of [...file.statements, file.endOfFileToken]) {
    for (const unit of [statement, ...unitsWithin(statement)]) {
      units.all.push(unit);
      units.declares.set(unit, unitNames(unit));
    }
  }
  return units;
}

/** The class members inside a unit, at any depth: what an edit did not touch comes from the memo. */
const unitsWithin = unitMemo((unit) => {
  const out: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassElement(node)) {
      out.push(node);
      append(out, unitsWithin(node));
    } else ts.forEachChild(node, visit);
  };
  ts.forEachChild(unit, visit);
  return out;
});

const unitNames = unitMemo(declaredNames);

/** The names a unit declares where other units can name them; the locals of its functions they cannot. */
function declaredNames(unit: ts.Node): string[] {
  if (ts.isClassElement(unit)) return unit.name === undefined ? [] : identifiersIn(unit.name);
  if ((ts.isFunctionDeclaration(unit) || ts.isClassDeclaration(unit)) && unit.name !== undefined) return [unit.name.text];
  if (ts.isVariableStatement(unit)) return unit.declarationList.declarations.flatMap((d) => identifiersIn(d.name));
  // `God.handleExit = function …`, `exports.load = …`: the property it is stored under.
  if (ts.isExpressionStatement(unit) && ts.isBinaryExpression(unit.expression) && unit.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = unit.expression.left;
    return ts.isPropertyAccessExpression(left) ? [left.name.text] : ts.isIdentifier(left) ? [left.text] : [];
  }
  return [];
}

function identifiersIn(node: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n)) out.push(n.text);
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * Adds the units that name what the units in scope declare, round after round.
 * The units that name an edited unit are checked again whatever it is; past
 * them, only through synchronous code: a blocking chain ends at an async
 * function, whose callers get a promise back, not the blocking.
 */
function extendByNames(scope: Set<ts.Node>, units: Units, text: string, rounds: number): void {
  let frontier = [...scope];
  const searched = new Set<string>();
  const file = units.all[0]?.getSourceFile();
  for (let round = 0; round < rounds && frontier.length > 0 && file !== undefined; round++) {
    const names = new Set<string>();
    for (const unit of frontier) for (const name of units.declares.get(unit)!) if (!searched.has(name)) names.add(name);
    frontier = [];
    // By text, not by walking every unit's identifiers: the names are few and the file is long.
    for (const name of names) {
      searched.add(name);
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
        if (isIdentifierPart(text.charCodeAt(at - 1)) || isIdentifierPart(text.charCodeAt(at + name.length))) continue;
        // A name in a comment or a string (a log line saying `reify`) is no use of it.
        const { node, unit } = innermostAt(file, at);
        if (unit === undefined || scope.has(unit) || !(ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) || node.getStart(file) !== at) continue;
        scope.add(unit);
        if (!isAsyncUnit(unit)) frontier.push(unit);
      }
    }
  }
}

/** An async method, or a top-level async function. */
function isAsyncUnit(unit: ts.Node): boolean {
  if (ts.isVariableStatement(unit)) return unit.declarationList.declarations.every((d) => d.initializer !== undefined && isAsyncFunction(skipOuterExpressions(d.initializer)));
  if (ts.isPropertyDeclaration(unit)) return unit.initializer !== undefined && isAsyncFunction(skipOuterExpressions(unit.initializer));
  return isAsyncFunction(unit);
}

function isIdentifierPart(code: number): boolean {
  return !Number.isNaN(code) && ts.isIdentifierPart(code, ts.ScriptTarget.Latest);
}

function offsetAt(file: ts.SourceFileLike, p: Position): number {
  return ts.getPositionOfLineAndCharacter(file, p.line, p.character);
}

/**
 * Where an offset of the previous text is in the new one; undefined inside the
 * replaced text or at its edges, where a full analysis may put it on either
 * side of the new text (an import a fix adds at the top of a file whose first
 * line was indented).
 */
function movedOffset(offset: number, change: TextChange): number | undefined {
  if (offset < change.start) return offset;
  if (offset > change.oldEnd) return offset + change.newEnd - change.oldEnd;
  return undefined;
}

/** The finding with its positions in this file moved past the edit; undefined when one of them was in the replaced text. */
function moveFinding(finding: Finding, file: ts.SourceFile, before: ts.SourceFileLike, change: TextChange): Finding | undefined {
  let broken = false;
  const move = (p: Position): Position => {
    const offset = movedOffset(offsetAt(before, p), change);
    if (offset === undefined) {
      broken = true;
      return p;
    }
    const { line, character } = file.getLineAndCharacterOfPosition(offset);
    return { line, character };
  };
  const moveRange = <T extends { range: Finding["range"] }>(x: T, inFile: boolean): T => (inFile ? { ...x, range: { start: move(x.range.start), end: move(x.range.end) } } : x);
  const moved: Finding = {
    ...moveRange(finding, true),
    related: finding.related.map((r) => ({ ...r, location: moveRange(r.location, r.location.file === file.fileName) })),
    fixes: finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => moveRange(e, e.file === file.fileName)) })),
  };
  // A message that names a line (`acquired on line 17`) cannot be moved: its text would be wrong.
  const linesMoved = moved.range.start.line !== finding.range.start.line || moved.related.some((r, i) => r.location.range.start.line !== finding.related[i].location.range.start.line);
  return broken || (linesMoved && /\bline \d/.test(finding.message)) ? undefined : moved;
}
