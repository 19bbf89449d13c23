// Resolves what a call (or a `new`) refers to: which module declares it and
// under which name. Decisions are made by symbol through the checker, so
// aliases, destructured `require`, namespace imports and re-exports all land
// on the declaration. Where the checker has no declaration (untyped JS,
// missing typings) the import or `require` that bound the name is read instead.
import ts from "typescript";
import { computedNamesAreSymbols, ownMethodOf, thisClassOf } from "./ast/class-fields";

export type CalleeOrigin =
  /** Declared by a package (its own typings, `@types/*`, or `declare module "x"`). */
  | "dependency"
  /** TypeScript's standard library (`lib.*.d.ts`). */
  | "lib"
  /** An ambient `declare` in the project's own declaration files. */
  | "ambient"
  /** Project code with an analysable body. */
  | "project";

export interface CalleeRef {
  /** Normalised module specifier (`fs`, `fs/promises`, `better-sqlite3`); undefined for project code and globals. */
  module: string | undefined;
  /** The exported or member name that is called. */
  name: string;
  /** For a method: the class or interface that declares it (`Statement`, `Atomics`, `Mutex`). */
  owner: string | undefined;
  origin: CalleeOrigin;
  /** The declaration found by the checker; undefined when resolved through imports only. */
  declaration: ts.Declaration | undefined;
  /** "checker": the declaration is known (for `this.method`, the class's own method, as the checker would find it); "imports": only an import or require says what it is. */
  resolvedBy: "checker" | "imports";
}

/** `node:fs` and `fs` are the same module; so are `fs-extra` re-exports only by their own name. */
export function normaliseModule(specifier: string): string {
  return specifier.startsWith("node:") ? specifier.slice("node:".length) : specifier;
}

/** `require("m")`, through parentheses and casts: the specifier as written. */
export function requireSpecifier(expr: ts.Expression | undefined): string | undefined {
  const e = expr && skipOuterExpressions(expr);
  if (!e || !ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== "require") return undefined;
  const arg = e.arguments[0];
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

/** The name node a call targets: `f` in `f()`, `m` in `a.b.m()` and in `a["m"]()`. */
export function calleeNameNode(callee: ts.Expression): ts.Identifier | ts.PrivateIdentifier | ts.StringLiteralLike | undefined {
  const e = skipOuterExpressions(callee);
  if (ts.isIdentifier(e)) return e;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression;
  return undefined;
}

/** The called name as text, for cheap syntactic pre-filtering before any checker call. */
export function calleeName(callee: ts.Expression): string | undefined {
  return calleeNameNode(callee)?.text;
}

export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let e = node;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else {
      return e;
    }
  }
}

/** Package name of a file under node_modules; `@types/foo__bar` maps back to `@foo/bar`. */
export function packageNameOfPath(fileName: string): string | undefined {
  const marker = "/node_modules/";
  const at = fileName.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = fileName.slice(at + marker.length).split("/");
  let name = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  if (name.startsWith("@types/")) {
    const typed = name.slice("@types/".length);
    name = typed.includes("__") ? `@${typed.replace("__", "/")}` : typed;
  }
  return name;
}

function ambientModuleName(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return normaliseModule(n.name.text);
  }
  return undefined;
}

function ownerName(decl: ts.Declaration): string | undefined {
  const parent = decl.parent;
  if (parent && (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent)) && parent.name) return parent.name.text;
  if (parent && ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent)) return parent.parent.name.text;
  return undefined;
}

function originOf(program: ts.Program, decl: ts.Declaration): { origin: CalleeOrigin; module: string | undefined } {
  const file = decl.getSourceFile();
  if (program.isSourceFileDefaultLibrary(file)) return { origin: "lib", module: undefined };
  const ambient = ambientModuleName(decl);
  const pkg = packageNameOfPath(file.fileName);
  if (pkg !== undefined || program.isSourceFileFromExternalLibrary(file)) {
    return { origin: "dependency", module: ambient ?? pkg };
  }
  if (ambient !== undefined) return { origin: "dependency", module: ambient };
  if (file.isDeclarationFile || hasDeclareModifier(decl)) return { origin: "ambient", module: undefined };
  return { origin: "project", module: undefined };
}

function hasDeclareModifier(decl: ts.Declaration): boolean {
  for (let n: ts.Node | undefined = decl; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  }
  return false;
}

/** Follows import aliases to the symbol that declares the value. */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** True for `const x = …` declarations whose initializer is a plain reference worth following. */
function followableInitializer(decl: ts.Declaration): ts.Expression | undefined {
  if (!ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  const init = skipOuterExpressions(decl.initializer);
  return ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) ? init : undefined;
}

/**
 * What the callee of a call or `new` expression refers to, or undefined when
 * neither the checker nor the imports can tell.
 */
export function resolveCallee(program: ts.Program, checker: ts.TypeChecker, callee: ts.Expression, depth = 0): CalleeRef | undefined {
  const nameNode = calleeNameNode(callee);
  if (!nameNode || depth > 3) return undefined;
  const e = skipOuterExpressions(callee);
  const thisOwner = ts.isPropertyAccessExpression(e) ? thisClassOf(e) : undefined;
  const own = thisOwner && ownMethodOf(thisOwner, (e as ts.PropertyAccessExpression).name);
  if (own !== undefined) return { module: undefined, name: nameNode.text, owner: ownerName(own), origin: originOf(program, own).origin, declaration: own, resolvedBy: "checker" };
  const member = thisOwner && thisMember(checker, thisOwner, (e as ts.PropertyAccessExpression).name);
  const symbol = member !== undefined ? member.symbol : checker.getSymbolAtLocation(nameNode);
  if (symbol) {
    const target = resolveAlias(checker, symbol);
    const decl = pickDeclaration(target);
    if (decl) {
      const follow = followableInitializer(decl);
      if (follow) return resolveCallee(program, checker, follow, depth + 1) ?? fromImports(checker, callee);
      if (!isRequireBinding(decl)) {
        const { origin, module } = originOf(program, decl);
        // The declared name, not the local alias: `import { readFileSync as read }` calls readFileSync.
        const declared = target.getName();
        const name = declared === "default" || declared === "export=" || declared.startsWith("__") ? nameNode.text : declared;
        return { module, name, owner: ownerName(decl), origin, declaration: decl, resolvedBy: "checker" };
      }
    }
  }
  return fromImports(checker, callee);
}

/**
 * The member `this.<name>` names, `this` being `owner` (see thisClassOf),
 * looked up in the type of the class (`symbol` undefined where it has none,
 * as in a mixin's class whose base is an untyped parameter): what the checker
 * finds at the name, without the flow analysis of `this` through the whole
 * function that it runs first (milliseconds in a long method of untyped code,
 * after every edit). Undefined for a private name or a class without a name.
 */
function thisMember(checker: ts.TypeChecker, owner: { cls: ts.ClassLikeDeclaration; isStatic: boolean }, memberName: ts.MemberName): { symbol: ts.Symbol | undefined } | undefined {
  const classSymbol = ts.isIdentifier(memberName) && owner.cls.name && checker.getSymbolAtLocation(owner.cls.name);
  if (!classSymbol) return undefined;
  const name = memberName.text;
  if (owner.isStatic) return { symbol: checker.getPropertyOfType(checker.getTypeOfSymbol(classSymbol), name) };
  const type = checker.getDeclaredTypeOfSymbol(classSymbol);
  // Resolving all the class's members evaluates every computed name in it (milliseconds in a class of
  // `[kName]()` methods). A name the class does not declare (its binder's table holds every member by
  // name, `this.x = …` assignments and merged declarations too) is an inherited one.
  if (classSymbol.members?.has(ts.escapeLeadingUnderscores(name)) || !computedNamesAreSymbols(owner.cls) || !(type.flags & ts.TypeFlags.Object)) {
    return { symbol: checker.getPropertyOfType(type, name) };
  }
  for (const base of checker.getBaseTypes(type as ts.InterfaceType)) {
    const symbol = checker.getPropertyOfType(base, name);
    if (symbol !== undefined) return { symbol };
  }
  return { symbol: undefined };
}

function pickDeclaration(symbol: ts.Symbol): ts.Declaration | undefined {
  const decls = symbol.declarations;
  if (!decls || decls.length === 0) return undefined;
  return decls.find((d) => ts.isFunctionLike(d) && (d as ts.FunctionLikeDeclaration).body) ?? decls[0];
}

/** `const x = require("m")` or `const { a } = require("m")`: the checker stops at the binding in untyped JS. */
function isRequireBinding(decl: ts.Declaration): boolean {
  return requireSpecifierOfDeclaration(decl) !== undefined;
}

function requireCallSpecifier(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const e = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(e)) return requireCallSpecifier(e.expression);
  const imported = ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.ImportKeyword && e.arguments.length >= 1 && ts.isStringLiteralLike(e.arguments[0]) ? e.arguments[0].text : undefined;
  const specifier = requireSpecifier(e) ?? imported;
  return specifier === undefined ? undefined : normaliseModule(specifier);
}

function requireSpecifierOfDeclaration(decl: ts.Declaration): string | undefined {
  if (ts.isVariableDeclaration(decl)) {
    const direct = requireCallSpecifier(decl.initializer);
    if (direct !== undefined) return direct;
    // const x = require("m").x
    const init = decl.initializer && skipOuterExpressions(decl.initializer);
    if (init && ts.isPropertyAccessExpression(init)) return requireCallSpecifier(init.expression);
    return undefined;
  }
  if (ts.isBindingElement(decl)) {
    const pattern = decl.parent;
    if (ts.isObjectBindingPattern(pattern) && ts.isVariableDeclaration(pattern.parent)) return requireCallSpecifier(pattern.parent.initializer);
  }
  return undefined;
}

/** A binding made by an import or require: which module, and which export (`*` for the namespace itself). */
export interface ImportBinding {
  module: string;
  exportName: string;
}

/** The import or require that introduced the local name `id`, if any. */
export function importBindingOf(checker: ts.TypeChecker, id: ts.Identifier): ImportBinding | undefined {
  const symbol = checker.getSymbolAtLocation(id);
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isImportSpecifier(decl)) {
    const spec = decl.parent.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(spec) ? { module: normaliseModule(spec.text), exportName: (decl.propertyName ?? decl.name).text } : undefined;
  }
  if (ts.isImportClause(decl)) {
    const spec = decl.parent.moduleSpecifier;
    return ts.isStringLiteral(spec) ? { module: normaliseModule(spec.text), exportName: "default" } : undefined;
  }
  if (ts.isNamespaceImport(decl)) {
    const spec = decl.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(spec) ? { module: normaliseModule(spec.text), exportName: "*" } : undefined;
  }
  if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference)) {
    const spec = decl.moduleReference.expression;
    return ts.isStringLiteral(spec) ? { module: normaliseModule(spec.text), exportName: "*" } : undefined;
  }
  if (ts.isVariableDeclaration(decl)) {
    const direct = requireCallSpecifier(decl.initializer);
    if (direct !== undefined) return { module: direct, exportName: "*" };
    const init = decl.initializer && skipOuterExpressions(decl.initializer);
    if (init && ts.isPropertyAccessExpression(init)) {
      const m = requireCallSpecifier(init.expression);
      if (m !== undefined) return { module: m, exportName: init.name.text };
    }
    return undefined;
  }
  if (ts.isBindingElement(decl)) {
    const m = requireSpecifierOfDeclaration(decl);
    if (m === undefined) return undefined;
    const prop = decl.propertyName ?? decl.name;
    return ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? { module: m, exportName: prop.text } : undefined;
  }
  return undefined;
}

function fromImports(checker: ts.TypeChecker, callee: ts.Expression): CalleeRef | undefined {
  const e = skipOuterExpressions(callee);
  if (ts.isIdentifier(e)) {
    const binding = importBindingOf(checker, e);
    if (!binding || binding.exportName === "*") return undefined;
    return { module: binding.module, name: binding.exportName, owner: undefined, origin: "dependency", declaration: undefined, resolvedBy: "imports" };
  }
  if (ts.isPropertyAccessExpression(e)) {
    const target = skipOuterExpressions(e.expression);
    // fs.readFileSync, or require("fs").readFileSync
    const direct = requireCallSpecifier(target);
    if (direct !== undefined) return { module: direct, name: e.name.text, owner: undefined, origin: "dependency", declaration: undefined, resolvedBy: "imports" };
    if (ts.isIdentifier(target)) {
      const binding = importBindingOf(checker, target);
      if (binding && (binding.exportName === "*" || binding.exportName === "default")) {
        return { module: binding.module, name: e.name.text, owner: undefined, origin: "dependency", declaration: undefined, resolvedBy: "imports" };
      }
      // `const { promises: fsp } = require("fs")` then fsp.readFile: a sub-namespace
      if (binding) {
        return { module: `${binding.module}/${binding.exportName}`, name: e.name.text, owner: undefined, origin: "dependency", declaration: undefined, resolvedBy: "imports" };
      }
    }
  }
  return undefined;
}

/**
 * A callee reference for a declaration found another way than through the
 * callee's name: the declaration of a call's resolved signature, when the name
 * is only a local binding (`const { readFileSync } = fs`).
 */
export function calleeOfDeclaration(program: ts.Program, decl: ts.Declaration, name: string): CalleeRef {
  const { origin, module } = originOf(program, decl);
  return { module, name, owner: ownerName(decl), origin, declaration: decl, resolvedBy: "checker" };
}

/** The body of a project function a call resolves to, for following call chains. */
export function projectFunctionOf(ref: CalleeRef | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!ref || ref.origin !== "project" || !ref.declaration) return undefined;
  const d = ref.declaration;
  if (ts.isFunctionLike(d) && (d as ts.FunctionLikeDeclaration).body) return d as ts.FunctionLikeDeclaration;
  if (ts.isVariableDeclaration(d) && d.initializer) {
    const init = skipOuterExpressions(d.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  if ((ts.isPropertyAssignment(d) || ts.isPropertyDeclaration(d)) && d.initializer) {
    const init = skipOuterExpressions(d.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  // `God.handleExit = function handleExit(…) {…}`: JavaScript's expando methods, declared by their assignment.
  const assignment = ts.isBinaryExpression(d) ? d : ts.isPropertyAccessExpression(d) && ts.isBinaryExpression(d.parent) && d.parent.left === d ? d.parent : undefined;
  if (assignment && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const value = skipOuterExpressions(assignment.right);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  }
  return undefined;
}

/** True when the type is a Promise or any thenable. */
export function isPromiseLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some((t) => isPromiseLike(checker, t));
  const then = type.getProperty("then");
  if (!then) return false;
  const thenType = checker.getTypeOfSymbol(then);
  return thenType.getCallSignatures().length > 0;
}
