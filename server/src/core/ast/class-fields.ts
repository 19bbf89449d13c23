// Class fields read through `this`: which class holds a node, and where a
// field is given its value.
import ts from "typescript";

/** The innermost class around `node`. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isClassLike(n)) return n;
  return undefined;
}

/**
 * What `this.<name>` is given in the class around `node`, in source order: the
 * property's initializer and the constructor's `this.<name> = …` assignments.
 */
export function thisFieldValues(node: ts.Node, name: string): ts.Expression[] {
  const cls = enclosingClass(node);
  if (!cls) return [];
  const out: ts.Expression[] = [];
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name && member.initializer) out.push(member.initializer);
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const st of member.body.statements) {
        if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const left = st.expression.left;
        if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) out.push(st.expression.right);
      }
    }
  }
  return out;
}

/**
 * The class whose instance (or, in a static member, whose constructor) `this`
 * is at `access`. Undefined where `this` is not the class's (inside a
 * `function`, in a computed member name or a decorator) and where a `this`
 * parameter retypes it.
 */
export function thisClassOf(access: ts.PropertyAccessExpression): { cls: ts.ClassLikeDeclaration; isStatic: boolean } | undefined {
  if (access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let holder: ts.Node = access;
  while (holder.parent !== undefined && !ts.isClassLike(holder.parent)) {
    holder = holder.parent;
    if (ts.isFunctionLike(holder) && !ts.isArrowFunction(holder) && !isClassMember(holder)) return undefined;
  }
  const cls = holder.parent;
  if (cls === undefined || !ts.isClassLike(cls) || !ts.isClassElement(holder)) return undefined;
  const body = ts.isPropertyDeclaration(holder) ? holder.initializer : ts.isMethodDeclaration(holder) || ts.isConstructorDeclaration(holder) || ts.isAccessor(holder) || ts.isClassStaticBlockDeclaration(holder) ? holder.body : undefined;
  if (body === undefined || access.pos < body.pos || access.end > body.end) return undefined;
  if (ts.isFunctionLike(holder) && holder.parameters[0] !== undefined && ts.isIdentifier(holder.parameters[0].name) && holder.parameters[0].name.text === "this") return undefined;
  // JSDoc retypes `this` in JavaScript: `@this {Other}`, or a `@type` for the whole method.
  if (ts.getJSDocThisTag(holder) !== undefined || ts.getJSDocType(holder) !== undefined) return undefined;
  return { cls, isStatic: hasStaticModifier(holder) };
}

/**
 * The method `this.<name>` calls, `this` being `owner` (see thisClassOf),
 * where the class declares one with a body and no other member of that name
 * (a field of the same name in JavaScript is what runs): the declaration the
 * checker would find, with no checker call.
 */
export function ownMethodOf(owner: { cls: ts.ClassLikeDeclaration; isStatic: boolean }, name: ts.MemberName): ts.MethodDeclaration | undefined {
  const named = owner.cls.members.filter((m) => m.name !== undefined && m.name.kind === name.kind && (m.name as ts.Identifier | ts.PrivateIdentifier).text === name.text && hasStaticModifier(m) === owner.isStatic);
  if (!named.every(ts.isMethodDeclaration)) return undefined;
  return named.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.body !== undefined);
}

/**
 * Whether every member of the class named by a computed name is keyed by a
 * symbol (`[kReify]()`, with `const kReify = Symbol(…)` at the top of the
 * file, or `[Symbol.iterator]()`): then no such member answers to an
 * identifier name, and finding one by name needs no evaluation of those names.
 */
export function computedNamesAreSymbols(cls: ts.ClassLikeDeclaration): boolean {
  let known = symbolKeyedClasses.get(cls);
  if (known === undefined) {
    const symbols = symbolConstants(cls.getSourceFile());
    known = cls.members.every((m) => {
      if (m.name === undefined || !ts.isComputedPropertyName(m.name)) return true;
      const e = m.name.expression;
      if (ts.isIdentifier(e)) return symbols.has(e.text) && !declaredBetween(cls, e.text);
      return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Symbol";
    });
    symbolKeyedClasses.set(cls, known);
  }
  return known;
}

/** Asked for every `this.x` call of a class: answered once per class node. */
const symbolKeyedClasses = new WeakMap<ts.ClassLikeDeclaration, boolean>();

/** Whether a function or block around `node`, below the top of its file, declares `name` (which then hides a top-level one). */
function declaredBetween(node: ts.Node, name: string): boolean {
  for (let n = node.parent; n !== undefined && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionLike(n) && n.parameters.some((p) => declaresName(p.name, name))) return true;
    if (ts.isBlock(n) && n.statements.some((st) => (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => declaresName(d.name, name))) || ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name))) return true;
  }
  return false;
}

function declaresName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((el) => !ts.isOmittedExpression(el) && declaresName(el.name, name));
}

const symbolConstantsByFile = new WeakMap<ts.SourceFile, Set<string>>();

/** Names of the file's top-level `const x = Symbol(…)`. */
function symbolConstants(file: ts.SourceFile): Set<string> {
  let names = symbolConstantsByFile.get(file);
  if (names === undefined) {
    names = new Set();
    for (const st of file.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        const callee = init && ts.isCallExpression(init) ? init.expression : undefined;
        const isSymbolCall = callee !== undefined && ((ts.isIdentifier(callee) && callee.text === "Symbol") || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Symbol" && callee.name.text === "for"));
        if (isSymbolCall && ts.isIdentifier(d.name)) names.add(d.name.text);
      }
    }
    symbolConstantsByFile.set(file, names);
  }
  return names;
}

function isClassMember(node: ts.Node): boolean {
  return node.parent !== undefined && ts.isClassLike(node.parent);
}

function hasStaticModifier(node: ts.Node): boolean {
  return ts.isClassStaticBlockDeclaration(node) || (ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false));
}
