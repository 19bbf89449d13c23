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

/**
 * What the fixes need to know of a file's top level, gathered once per file: a
 * generated file has thousands of statements and findings, and scanning its
 * statements once per finding made fixing it quadratic.
 */
interface TopLevel {
  /** Import declarations and variable statements with a require, in file order. */
  importsAndRequires: ts.Statement[];
  /** Every name declared at the top level: a new import must not clash with any. */
  names: Set<string>;
  usesRequire: boolean;
  lastImport: ts.Statement | undefined;
  lastRequire: ts.Statement | undefined;
  /** The first statement that is not a directive prologue ("use strict"). */
  firstStatement: ts.Statement | undefined;
}

const topLevels = new WeakMap<ts.SourceFile, TopLevel>();

function topLevelOf(file: ts.SourceFile): TopLevel {
  let top = topLevels.get(file);
  if (top !== undefined) return top;
  top = { importsAndRequires: [], names: new Set(), usesRequire: usesRequire(file), lastImport: undefined, lastRequire: undefined, firstStatement: undefined };
  for (const s of file.statements) {
    top.firstStatement ??= ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) ? undefined : s;
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) top.names.add(s.name.text);
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) addBindingNames(d.name, top.names);
      if (s.declarationList.declarations.some((d) => requireSpecifier(d.initializer) !== undefined)) {
        top.importsAndRequires.push(s);
        top.lastRequire = s;
      }
    }
    if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)) top.lastImport = s;
    if (ts.isImportDeclaration(s)) {
      top.importsAndRequires.push(s);
      const c = s.importClause;
      if (c?.name) top.names.add(c.name.text);
      const b = c?.namedBindings;
      if (b && ts.isNamespaceImport(b)) top.names.add(b.name.text);
      else if (b) for (const e of b.elements) top.names.add(e.name.text);
    }
  }
  topLevels.set(file, top);
  return top;
}

function addBindingNames(binding: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(binding)) into.add(binding.text);
  else for (const e of binding.elements) if (!ts.isOmittedExpression(e)) addBindingNames(e.name, into);
}

function isFree(checker: ts.TypeChecker, file: ts.SourceFile, name: string, at: ts.Node): boolean {
  if (checker.resolveName(name, at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace, false) !== undefined) return false;
  // A top-level binding elsewhere would clash with the new import even if not visible here.
  return !topLevelOf(file).names.has(name);
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
  const top = topLevelOf(file);
  const last = cjs ? top.lastRequire : top.lastImport;
  if (last) return insertAt(file, last.getEnd(), `\n${line}`);
  const first = top.firstStatement;
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
  for (const s of topLevelOf(file).importsAndRequires) {
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
  const cjs = topLevelOf(file).usesRequire;
  const line = cjs ? `const { ${property} } = require("${specifierFor(module)}");` : `import { ${specifier} } from "${specifierFor(module)}";`;
  return { expression: local, edits: [newImportEdit(file, line, cjs)] };
}
