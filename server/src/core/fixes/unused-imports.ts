// A fix that turns `readFileSync(…)` into `await readFile(…)` leaves the
// `readFileSync` import without a use, which `noUnusedLocals` and linters
// reject. After fixes are applied, an import binding whose name appeared
// outside the imports before and appears nowhere outside them after is removed:
// its specifier, or the whole import when none is left. Names are counted in
// the text, comments and strings included, so a binding that may still be
// meant (a JSDoc type, a property of the same name) is kept: never wrong, at
// worst left for the user.
import ts from "typescript";

interface Element {
  name: string;
  node: ts.Node;
}

interface ImportStatement {
  statement: ts.Statement;
  /** The list the named bindings sit in; undefined when the statement binds one name. */
  list: ts.NodeArray<ts.Node> | undefined;
  elements: Element[];
}

/** `fixed` with the import bindings removed that `original` used and `fixed` no longer does. */
export function dropImportsLeftUnused(fileName: string, original: string, fixed: string): string {
  const file = ts.createSourceFile(fileName, fixed, ts.ScriptTarget.Latest, false);
  const imports = importStatements(file);
  if (imports.length === 0) return fixed;
  const before = withoutImports(ts.createSourceFile(fileName, original, ts.ScriptTarget.Latest, false));
  const after = withoutImports(file, imports);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const imported of imports) {
    const orphaned = imported.elements.filter((e) => occurrences(after, e.name) === 0 && occurrences(before, e.name) > 0);
    if (orphaned.length === 0) continue;
    const list = imported.list;
    if (orphaned.length === imported.elements.length && (list === undefined || list.length === imported.elements.length)) {
      edits.push(wholeStatement(file, imported.statement));
    } else if (list !== undefined) {
      const kept = list.filter((node) => !orphaned.some((e) => e.node === node));
      edits.push({ start: list[0].getStart(file), end: list[list.length - 1].getEnd(), text: kept.map((node) => node.getText(file)).join(", ") });
    }
  }
  let out = fixed;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The file's text with its import statements blanked: a module named like a binding (`const fs = require("fs")`) is no use of it. */
function withoutImports(file: ts.SourceFile, imports: ImportStatement[] = importStatements(file)): string {
  let text = file.text;
  for (const { statement } of imports) {
    const start = statement.getStart(file);
    text = text.slice(0, start) + " ".repeat(statement.getEnd() - start) + text.slice(statement.getEnd());
  }
  return text;
}

function occurrences(text: string, name: string): number {
  const escaped = name.replace(/[$]/g, "\\$");
  return text.match(new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, "g"))?.length ?? 0;
}

/** The statement and its line break; comments before it stay. */
function wholeStatement(file: ts.SourceFile, statement: ts.Statement): { start: number; end: number; text: string } {
  const end = statement.getEnd();
  const lineBreak = /^\r?\n/.exec(file.text.slice(end, end + 2));
  return { start: statement.getStart(file), end: end + (lineBreak?.[0].length ?? 0), text: "" };
}

/** Value imports and requires at the top level, with the names each binds. */
function importStatements(file: ts.SourceFile): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const named = clause.namedBindings;
      if (clause.name && !named) out.push({ statement, list: undefined, elements: [{ name: clause.name.text, node: clause.name }] });
      else if (!clause.name && named && ts.isNamespaceImport(named)) out.push({ statement, list: undefined, elements: [{ name: named.name.text, node: named }] });
      else if (!clause.name && named && ts.isNamedImports(named) && named.elements.length > 0) {
        const elements = named.elements.filter((e) => !e.isTypeOnly).map((e) => ({ name: e.name.text, node: e }));
        out.push({ statement, list: named.elements, elements });
      }
    } else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
      const { name, initializer } = statement.declarationList.declarations[0];
      if (!isRequireCall(initializer)) continue;
      if (ts.isIdentifier(name)) out.push({ statement, list: undefined, elements: [{ name: name.text, node: name }] });
      else if (ts.isObjectBindingPattern(name) && name.elements.length > 0 && name.elements.every((e) => ts.isIdentifier(e.name) && !e.dotDotDotToken)) {
        out.push({ statement, list: name.elements, elements: name.elements.map((e) => ({ name: (e.name as ts.Identifier).text, node: e })) });
      }
    }
  }
  return out;
}

function isRequireCall(expression: ts.Expression | undefined): boolean {
  return !!expression && ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === "require" && expression.arguments.length === 1 && ts.isStringLiteralLike(expression.arguments[0]);
}
