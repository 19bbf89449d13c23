// Callees the checker cannot resolve, recognised precision first:
// - a synchronous SQLite database or statement whose module has no typings,
//   traced from the `new Database(…)` / `db.prepare(…)` that made it;
// - a Node API reached through an undeclared conventional name (`fs.readFileSync`
//   where nothing declares `fs`, as in code cut out of its module).
import ts from "typescript";
import { thisFieldValues } from "../../ast/class-fields";
import { CONVENTIONAL_RECEIVERS, SYNC_DATABASES, type SyncDatabase } from "../../catalogue/blocking-apis";
import { calleeName, importBindingOf, skipOuterExpressions, type CalleeRef } from "../../symbols";

type Handle = { database: SyncDatabase; role: "database" | "statement" };

function untypedRef(module: string, name: string, owner: string | undefined): CalleeRef {
  return { module, name, owner, origin: "dependency", declaration: undefined, resolvedBy: "imports" };
}

/** The sync database whose constructor `callee` names, through its import or require. */
function databaseConstructor(checker: ts.TypeChecker, callee: ts.Expression): SyncDatabase | undefined {
  const e = skipOuterExpressions(callee);
  if (ts.isIdentifier(e)) {
    const binding = importBindingOf(checker, e);
    return binding && SYNC_DATABASES.find((d) => d.module === binding.module && d.exports.includes(binding.exportName));
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const binding = importBindingOf(checker, e.expression);
    return binding && (binding.exportName === "*" || binding.exportName === "default") ? SYNC_DATABASES.find((d) => d.module === binding.module && d.exports.includes(e.name.text)) : undefined;
  }
  return undefined;
}

/** What an expression holds, when it is traceably a sync database or one of its statements. */
function handleOf(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): Handle | undefined {
  if (depth > 4) return undefined;
  const e = skipOuterExpressions(expr);
  if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && calleeName(e.expression) === "prepare" && ts.isPropertyAccessExpression(skipOuterExpressions(e.expression))) {
    const owner = handleOf(checker, (skipOuterExpressions(e.expression) as ts.PropertyAccessExpression).expression, depth + 1);
    return owner?.role === "database" ? { database: owner.database, role: "statement" } : undefined;
  }
  if (ts.isNewExpression(e) || ts.isCallExpression(e)) {
    const database = databaseConstructor(checker, e.expression);
    return database ? { database, role: "database" } : undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = checker.getSymbolAtLocation(e)?.declarations?.[0];
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? handleOf(checker, decl.initializer, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const [value] = thisFieldValues(e, e.name.text);
    return value ? handleOf(checker, value, depth + 1) : undefined;
  }
  return undefined;
}

/** `db.exec(…)`, `db.prepare(…).get(…)`, `new Database(…)` on an untyped sync SQLite module. */
function untypedDatabaseCall(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): CalleeRef | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isNewExpression(call) || ts.isIdentifier(callee)) {
    const database = databaseConstructor(checker, callee);
    return database ? untypedRef(database.module, database.constructorName, undefined) : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const handle = handleOf(checker, callee.expression);
  if (!handle) return undefined;
  return untypedRef(handle.database.module, callee.name.text, handle.role === "database" ? handle.database.databaseOwner : handle.database.statementOwner);
}

/** `fs.readFileSync(…)` or `execSync(…)` where nothing in scope declares the name. */
function undeclaredNodeCall(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): CalleeRef | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = skipOuterExpressions(callee.expression);
    if (!ts.isIdentifier(receiver) || !Object.hasOwn(CONVENTIONAL_RECEIVERS, receiver.text) || checker.getSymbolAtLocation(receiver) !== undefined) return undefined;
    return untypedRef(CONVENTIONAL_RECEIVERS[receiver.text], callee.name.text, undefined);
  }
  return undefined;
}

/** A callee reference for a call the checker and the imports could not resolve, or undefined. */
export function untypedCallee(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression): CalleeRef | undefined {
  return untypedDatabaseCall(checker, call) ?? undeclaredNodeCall(checker, call);
}
