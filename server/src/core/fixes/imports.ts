// Names a module's export at a point in a file for a quick fix: reuses an
// import or require the file already has, or adds the name to the module's
// named import or destructuring require, otherwise adds one in the file's
// own style (ES `import` or CommonJS `require`), picking a local name that
// nothing in scope already uses.
import { builtinModules } from "node:module";
import ts from "typescript";
import type { TextEdit } from "../types";
import { rangeFromOffsets } from "../location";
import { normaliseModule, requireSpecifier } from "../symbols";

export interface ImportedValue {
  /** The expression that names the export at the use site (`readFile`, `fsp.readFile`, `util.promisify`). */
  expression: string;
  /** Edits that add the import; empty when it is reused. */
  edits: TextEdit[];
}

const BUILTINS = new Set(builtinModules);

/** How a new import names the module: `node:fs/promises` for Node's own modules. */
export function specifierFor(module: string): string {
  return BUILTINS.has(module) ? `node:${module}` : module;
}

/** True when `local` at `at` still means the binding the import made (no shadowing). */
function bindsAt(checker: ts.TypeChecker, local: ts.Identifier, at: ts.Node): boolean {
  const seen = checker.resolveName(local.text, at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias, false);
  const own = checker.getSymbolAtLocation(local);
  return seen !== undefined && seen === own;
}

function isFree(checker: ts.TypeChecker, file: ts.SourceFile, name: string, at: ts.Node): boolean {
  if (checker.resolveName(name, at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace, false) !== undefined) return false;
  // A top-level binding elsewhere would clash with the new import even if not visible here.
  return !file.statements.some((s) => declaresTopLevel(s, name));
}

function declaresTopLevel(s: ts.Statement, name: string): boolean {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name?.text === name) return true;
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.some((d) => bindingHas(d.name, name));
  if (ts.isImportDeclaration(s) && s.importClause) {
    const c = s.importClause;
    if (c.name?.text === name) return true;
    const b = c.namedBindings;
    return b !== undefined && (ts.isNamespaceImport(b) ? b.name.text === name : b.elements.some((e) => e.name.text === name));
  }
  return false;
}

function bindingHas(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindingHas(e.name, name));
}

/** ES modules get `import`; CommonJS JavaScript gets `require`. */
export function usesRequire(file: ts.SourceFile): boolean {
  if (file.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s))) return false;
  if (/\.(mjs|mts)$/.test(file.fileName)) return false;
  if (/\.(cjs|cts)$/.test(file.fileName)) return true;
  if (!/\.(js|jsx)$/.test(file.fileName)) return false;
  return true;
}

function insertAt(file: ts.SourceFile, offset: number, newText: string): TextEdit {
  return { file: file.fileName, range: rangeFromOffsets(file, offset, offset), newText };
}

/** Where a new import line goes: after the last import (or require), else before the first statement. */
export function newImportEdit(file: ts.SourceFile, line: string, cjs: boolean): TextEdit {
  const anchors = file.statements.filter((s) =>
    cjs ? ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => requireSpecifier(d.initializer) !== undefined) : ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s),
  );
  const last = anchors[anchors.length - 1];
  if (last) return insertAt(file, last.getEnd(), `\n${line}`);
  const first = file.statements.find((s) => !(ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)));
  if (!first) return insertAt(file, file.getEnd(), `${file.text.length > 0 && !file.text.endsWith("\n") ? "\n" : ""}${line}\n`);
  return insertAt(file, first.getStart(file), `${line}\n`);
}

/**
 * The expression naming export `name` of `module` (normalised, `fs/promises`)
 * at node `at`, with the edits that make it available.
 */
export function importedValue(checker: ts.TypeChecker, at: ts.Node, module: string, name: string): ImportedValue {
  const file = at.getSourceFile();
  let namedImports: ts.NamedImports | undefined;
  let destructured: ts.ObjectBindingPattern | undefined;
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && normaliseModule(s.moduleSpecifier.text) === module && s.importClause && !s.importClause.isTypeOnly) {
      const clause = s.importClause;
      const b = clause.namedBindings;
      if (b && ts.isNamedImports(b)) {
        const el = b.elements.find((e) => !e.isTypeOnly && (e.propertyName ?? e.name).text === name);
        if (el && bindsAt(checker, el.name, at)) return { expression: el.name.text, edits: [] };
        namedImports ??= b;
      }
      const ns = b && ts.isNamespaceImport(b) ? b.name : clause.name;
      if (ns && bindsAt(checker, ns, at)) return { expression: `${ns.text}.${name}`, edits: [] };
    }
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const spec = requireSpecifier(d.initializer);
        if (spec === undefined || normaliseModule(spec) !== module) continue;
        if (ts.isIdentifier(d.name) && bindsAt(checker, d.name, at)) return { expression: `${d.name.text}.${name}`, edits: [] };
        if (ts.isObjectBindingPattern(d.name)) {
          const el = d.name.elements.find((e) => ((e.propertyName ?? e.name) as ts.Identifier).text === name && ts.isIdentifier(e.name));
          if (el && bindsAt(checker, el.name as ts.Identifier, at)) return { expression: (el.name as ts.Identifier).text, edits: [] };
          destructured ??= d.name;
        }
      }
    }
  }
  let local = name;
  for (let i = 1; !isFree(checker, file, local, at); i++) local = `${name}Async${i > 1 ? i : ""}`;
  const specifier = local === name ? name : `${name} as ${local}`;
  const property = local === name ? name : `${name}: ${local}`;
  // Adding to the module's import or destructuring require keeps one declaration per module.
  const lastNamed = namedImports?.elements[namedImports.elements.length - 1];
  if (lastNamed) return { expression: local, edits: [insertAt(file, lastNamed.getEnd(), `, ${specifier}`)] };
  const lastProperty = destructured?.elements[destructured.elements.length - 1];
  if (lastProperty && !lastProperty.dotDotDotToken) return { expression: local, edits: [insertAt(file, lastProperty.getEnd(), `, ${property}`)] };
  const cjs = usesRequire(file);
  const line = cjs ? `const { ${property} } = require("${specifierFor(module)}");` : `import { ${specifier} } from "${specifierFor(module)}";`;
  return { expression: local, edits: [newImportEdit(file, line, cjs)] };
}
