// Every code action the server offers is built here: the core's fixes as
// quick fixes (the preferred one marked), "ignore on this line" for any rule,
// "show rule documentation", and `source.fixAll.async-lens`, which applies the
// preferred fixes of the whole file that do not overlap.
import type ts from "typescript";
import { CodeActionKind, type CodeAction, type CodeActionParams, type Range } from "vscode-languageserver";
import { combineFixes } from "../core/edits";
import { ignoreLineFixAt } from "../core/fixes/ignore-line";
import { UNUSED_SUPPRESSION_RULE } from "../core/suppressions";
import type { Finding, Fix } from "../core/types";
import { toDiagnostic, toWorkspaceEdit } from "./to-lsp";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.async-lens`;
export const SHOW_DOCUMENTATION_COMMAND = "async-lens.showRuleDocumentation";

function intersects(a: Range, b: Range): boolean {
  const before = (x: Range["start"], y: Range["start"]) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** True when the client asked for no particular kind, or for `kind` or a kind it belongs to. */
function wanted(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return only === undefined || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

export function codeActions(params: CodeActionParams, findings: readonly Finding[], source: ts.SourceFile | undefined): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wanted(params, CodeActionKind.QuickFix)) {
    for (const finding of findings.filter((f) => intersects(f.range, params.range))) actions.push(...quickFixes(finding, source));
  }
  if (wanted(params, FIX_ALL_KIND)) {
    const edits = combineFixes(findings.flatMap((f) => f.fixes.filter((x) => x.isPreferred)));
    if (edits.length > 0) actions.push({ title: "Fix all auto-fixable Async Lens problems", kind: FIX_ALL_KIND, edit: toWorkspaceEdit(edits) });
  }
  return actions;
}

function quickFixes(finding: Finding, source: ts.SourceFile | undefined): CodeAction[] {
  const diagnostic = toDiagnostic(finding);
  const fixes: Fix[] = [...finding.fixes];
  const ignore = finding.rule === UNUSED_SUPPRESSION_RULE || source === undefined ? undefined : ignoreLineFixAt(source, source.getPositionOfLineAndCharacter(finding.range.start.line, finding.range.start.character), finding.rule);
  // Some rules offer the suppression among their own fixes already.
  if (ignore !== undefined && !fixes.some((f) => f.title === ignore.title)) fixes.push(ignore);
  const actions: CodeAction[] = fixes.map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.isPreferred === true,
    edit: toWorkspaceEdit(fix.edits),
  }));
  actions.push({
    title: `Show documentation for ${finding.rule}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: `Show documentation for ${finding.rule}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [finding.href] },
  });
  return actions;
}
