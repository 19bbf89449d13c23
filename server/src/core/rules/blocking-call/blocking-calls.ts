// Which calls block, across functions and files: a call to a catalogue API,
// to a conventionally synchronous library function, or to a synchronous
// project function that (through at most `chainDepth` project functions)
// reaches one of those or spins on the clock.
//
// Resolving a call through the checker costs about half a millisecond, so the
// project is first indexed by name, syntactically: the names the catalogue
// knows, and the names of project functions whose bodies call such names
// (to a fixpoint). Only calls to those names are ever resolved, and a
// project function's verdict is computed once, when first asked.
import ts from "typescript";
import { isAsyncFunction, isFunctionWithBody, isGenerator } from "../../ast/functions";
import { forEachNodeRunDuring } from "./async-context";
import { runsCallbackDuringCall } from "../../catalogue/callbacks";
import { isCheapAtThisSize, isConventionallySync, isUntypedConventionallySync, matchBlockingApi, nameMatches, readsKernelPseudoFile } from "./classifier";
import { isBusyWaitLoop } from "./busy-wait";
import { fileNameIndex, isPropertyRead, storageNameOf, type FileNameIndex, type FunctionSummary } from "./name-index";
import { untypedCallee } from "./untyped-callees";
import { runsOnce } from "./run-once";
import type { BlockingApi } from "../../catalogue";
import { NOT_BLOCKING_APIS } from "../../catalogue/blocking-apis";
import type { FactKey, ProjectFacts } from "../../facts";
import { calleeName, calleeOfDeclaration, normaliseModule, projectFunctionOf, resolveCallee, skipOuterExpressions, type CalleeRef } from "../../symbols";

export type CallLike = ts.CallExpression | ts.NewExpression;

/** True for the known exceptions to the `xSync` convention (memfs, yargs' `parseSync`, …). */
function isKnownNotBlocking(ref: CalleeRef): boolean {
  return ref.module !== undefined && NOT_BLOCKING_APIS.some((x) => x.module === ref.module && nameMatches(x.name, ref.name));
}

/** Why a call or loop blocks. */
export type BlockingSite =
  /** A catalogue API; `passedAs` when it is passed by reference to a method that calls it (`files.map(fs.statSync)`). */
  | { kind: "api"; node: CallLike; name: string; api: BlockingApi; ref: CalleeRef; passedAs?: ts.Expression }
  /** A library `xSync` function outside the catalogue. */
  | { kind: "conventional"; node: CallLike; name: string; ref: CalleeRef }
  /** A function made by a catalogue factory (`deasync(fn)`, `db.transaction(fn)`). */
  | { kind: "wrapped"; node: CallLike; name: string; api: BlockingApi }
  /** A loop spinning on the clock. */
  | { kind: "busy-wait"; node: ts.IterationStatement; name: string }
  /** A synchronous project function that blocks further down. */
  | { kind: "chain"; node: CallLike | ts.PropertyAccessExpression; name: string; callee: ts.FunctionLikeDeclaration; inner: BlockingSite; hops: number };

/** The blocking site at the end of a chain. */
export function leafOf(site: BlockingSite): Exclude<BlockingSite, { kind: "chain" }> {
  return site.kind === "chain" ? leafOf(site.inner) : site;
}

/** A readable name for a function: its declared name, or the variable or property it is stored in. */
export function functionName(fn: ts.FunctionLikeDeclaration): string {
  if (ts.isConstructorDeclaration(fn)) return fn.parent.name ? `new ${fn.parent.name.text}` : "the constructor";
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const holder = storageNameOf(fn);
  return holder ?? "an anonymous function";
}

/** The function's own name, or the name it is called by where it has none (`export default () => …`). */
function displayName(fn: ts.FunctionLikeDeclaration, calledAs: string): string {
  const own = functionName(fn);
  return own === "default" || own === "an anonymous function" ? calledAs : own;
}

/** Files of the project itself: not declaration files, not dependencies. */
export function projectSourceFiles(program: ts.Program): ts.SourceFile[] {
  return program.getSourceFiles().filter((f) => !f.isDeclarationFile && !program.isSourceFileFromExternalLibrary(f) && !f.fileName.includes("/node_modules/"));
}

interface Memo {
  site: BlockingSite | undefined;
  /** The hop budget the verdict was computed with; a negative verdict holds for any smaller budget. */
  budget: number;
  /** Set when the verdict was cut short by a cycle: valid only within the query that computed it. */
  query?: number;
}

/** The names worth resolving: what the catalogue and the project's functions make candidates. */
class CandidateNames {
  /** Exact callee names. */
  readonly names = new Set<string>();
  /** Catalogue name patterns (`*Sync`, `question*`). */
  readonly patterns: string[] = [];
  /** Names of project getters that block when their property is read. */
  readonly getterNames = new Set<string>();
  /** Names already tested against the patterns, kept from the previous names while the patterns are the same. */
  private readonly patternHits: Map<string, boolean>;

  constructor(indexes: readonly FileNameIndex[], apis: readonly BlockingApi[], chainDepth: number, previous: CandidateNames | undefined) {
    this.indexCatalogue(indexes, apis);
    this.patternHits = previous !== undefined && previous.patterns.join("\n") === this.patterns.join("\n") ? previous.patternHits : new Map();
    this.indexProjectFunctions(indexes, chainDepth);
  }

  has(name: string): boolean {
    if (this.names.has(name)) return true;
    let known = this.patternHits.get(name);
    if (known === undefined) {
      known = name.endsWith("Sync") || this.patterns.some((p) => nameMatches(p, name));
      this.patternHits.set(name, known);
    }
    return known;
  }

  private indexCatalogue(indexes: readonly FileNameIndex[], apis: readonly BlockingApi[]): void {
    const importedModules = new Set<string>();
    for (const index of indexes) for (const { module } of index.imports.values()) importedModules.add(normaliseModule(module));
    for (const api of apis) {
      if (api.importedAs && !api.importedAs.some((m) => importedModules.has(m))) continue;
      if (api.name === "*") continue; // matched through the module, by the imports below
      if (api.name.includes("*")) this.patterns.push(api.name);
      else this.names.add(api.name);
    }
    // `*` entries (any export of sync-request, …): every name imported from those modules.
    const wholeModules = new Set(apis.filter((a) => a.name === "*").map((a) => a.module));
    for (const index of indexes) {
      for (const [local, imported] of index.imports) if (wholeModules.has(normaliseModule(imported.module))) this.names.add(local);
    }
  }

  private indexProjectFunctions(indexes: readonly FileNameIndex[], chainDepth: number): void {
    const summaries: FunctionSummary[] = [];
    for (const index of indexes) {
      summaries.push(...index.summaries);
      index.factoryResults.forEach((n) => this.names.add(n));
    }
    // Propagate to a fixpoint: a function that calls a candidate name is itself a candidate.
    let pending = summaries;
    for (let round = 0; round <= chainDepth && pending.length > 0; round++) {
      const reached = pending.filter((s) => s.blocksDirectly || [...s.callees].some((c) => this.has(c)) || [...s.reads].some((r) => this.getterNames.has(r)));
      if (reached.length === 0) break;
      for (const s of reached) s.names.forEach((n) => (s.isGetter ? this.getterNames : this.names).add(n));
      const done = new Set(reached);
      pending = pending.filter((s) => !done.has(s));
    }
  }
}

/**
 * The candidate names computed last, with what they were computed from. The
 * language server analyses after every edit, and an edit rarely changes what
 * any function calls: `fileNameIndex` then hands out the same index objects,
 * and the fixpoint over the whole project is not run again.
 */
let lastCandidates: { indexes: readonly FileNameIndex[]; apis: readonly BlockingApi[]; chainDepth: number; names: CandidateNames } | undefined;

function candidateNamesFor(indexes: readonly FileNameIndex[], apis: readonly BlockingApi[], chainDepth: number): CandidateNames {
  const last = lastCandidates;
  if (last?.apis === apis && last.chainDepth === chainDepth && last.indexes.length === indexes.length && last.indexes.every((index, i) => index === indexes[i])) return last.names;
  const names = new CandidateNames(indexes, apis, chainDepth, last?.names);
  lastCandidates = { indexes, apis, chainDepth, names };
  return names;
}

export class BlockingCalls {
  private readonly candidates: CandidateNames;
  /** Names of catalogue factories whose result blocks when called (`deasync`, `transaction`). */
  private readonly factoryNames = new Set<string>();
  /** Per file: local import names mapped to the imported names (`import { load as l }`). */
  private readonly aliases = new Map<ts.SourceFile, ReadonlyMap<string, string>>();
  private readonly memo = new Map<ts.FunctionLikeDeclaration, Memo>();
  private readonly inProgress = new Set<ts.FunctionLikeDeclaration>();
  private query = 0;
  private cutByCycle = false;

  constructor(private readonly facts: ProjectFacts) {
    const factoryNames = facts.catalogue.blockingApis.filter((a) => a.returnsBlocking).map((a) => a.name);
    factoryNames.forEach((n) => this.factoryNames.add(n));
    const indexes: FileNameIndex[] = [];
    for (const file of projectSourceFiles(facts.program)) {
      const index = fileNameIndex(file, factoryNames);
      this.aliases.set(file, index.importedNames);
      indexes.push(index);
    }
    this.candidates = candidateNamesFor(indexes, facts.catalogue.blockingApis, facts.chainDepth);
  }

  /** Cheap syntactic test: could this call block? Only calls that pass are resolved. */
  isCandidate(call: CallLike): boolean {
    const name = calleeName(call.expression);
    if (name === undefined) {
      const inner = ts.isCallExpression(call.expression) ? calleeName(call.expression.expression) : undefined;
      return inner !== undefined && this.factoryNames.has(inner);
    }
    if (this.candidates.has(name)) return true;
    const imported = this.aliases.get(call.getSourceFile())?.get(name);
    if (imported !== undefined && this.candidates.has(imported)) return true;
    return isSyncIteration(call) && call.arguments!.some((a) => isReference(a) && this.candidates.has(calleeName(a) ?? ""));
  }

  /** Cheap syntactic test: could reading this property run a blocking getter? */
  isCandidateRead(access: ts.PropertyAccessExpression): boolean {
    return this.candidates.getterNames.has(access.name.text);
  }

  /** Why reading the property blocks (its getter does), or undefined. */
  classifyRead(access: ts.PropertyAccessExpression, budget: number): BlockingSite | undefined {
    this.query++;
    return this.classifyReadWithin(access, budget);
  }

  private classifyReadWithin(access: ts.PropertyAccessExpression, budget: number): BlockingSite | undefined {
    const symbol = this.facts.checker.getSymbolAtLocation(access.name);
    const getter = symbol?.declarations?.find((d): d is ts.GetAccessorDeclaration => ts.isGetAccessorDeclaration(d) && d.body !== undefined);
    if (!getter || getter.getSourceFile().isDeclarationFile) return undefined;
    const inner = this.blockingOf(getter, budget);
    return inner ? { kind: "chain", node: access, name: access.name.text, callee: getter, inner, hops: 1 + (inner.kind === "chain" ? inner.hops : 0) } : undefined;
  }

  /**
   * Why the call blocks, or undefined. `budget` is how many project functions
   * the chain may still pass through.
   */
  classify(call: CallLike, budget: number): BlockingSite | undefined {
    this.query++;
    return this.classifyCall(call, budget);
  }

  private classifyCall(call: CallLike, budget: number): BlockingSite | undefined {
    if (ts.isCallExpression(call) && ts.isCallExpression(skipOuterExpressions(call.expression))) {
      // deasync(fn)(…), db.transaction(fn)(): the factory's result called at once.
      const factory = this.factoryOf(skipOuterExpressions(call.expression) as ts.CallExpression);
      return factory ? { kind: "wrapped", node: call, name: factory.name, api: factory } : undefined;
    }
    const ref = this.resolve(call);
    const direct = ref && !isKnownNotBlocking(ref) ? this.classifyResolved(call, ref, budget) : undefined;
    return direct ?? this.classifyPassedFunctions(call, budget);
  }

  private classifyResolved(call: CallLike, ref: CalleeRef, budget: number): BlockingSite | undefined {
    const { checker, catalogue } = this.facts;
    if (ref.origin === "project") return this.classifyProjectCall(call, ref, budget);
    const api = matchBlockingApi(catalogue.blockingApis, ref);
    if (api) return api.returnsBlocking || isCheapAtThisSize(checker, call, api) || readsKernelPseudoFile(checker, call, api) ? undefined : { kind: "api", node: call, name: apiCallName(call, ref, api), api, ref };
    if (isConventionallySync(checker, call, ref) || isUntypedConventionallySync(call, ref)) return { kind: "conventional", node: call, name: ref.name, ref };
    return undefined;
  }

  /** `files.map(loadJson)`: a blocking function passed by reference to a method that calls it right away. */
  private classifyPassedFunctions(call: CallLike, budget: number): BlockingSite | undefined {
    if (!isSyncIteration(call)) return undefined;
    const { program, checker, catalogue } = this.facts;
    for (const arg of call.arguments ?? []) {
      const name = calleeName(arg);
      if (name === undefined || !this.candidates.has(name) || !isReference(arg)) continue;
      const ref = resolveCallee(program, checker, arg);
      if (!ref || isKnownNotBlocking(ref)) continue;
      if (ref.origin === "project") {
        const fn = projectFunctionOf(ref);
        if (!fn || isAsyncFunction(fn) || isGenerator(fn)) continue;
        const inner = this.blockingOf(fn, budget);
        if (inner) return { kind: "chain", node: call, name: displayName(fn, ref.name), callee: fn, inner, hops: 1 + (inner.kind === "chain" ? inner.hops : 0) };
        continue;
      }
      const api = matchBlockingApi(catalogue.blockingApis, ref);
      if (api && !api.returnsBlocking) return { kind: "api", node: call, name: ref.name, api, ref, passedAs: arg };
    }
    return undefined;
  }

  /** The callee by symbol, else by imports; where neither knows it, by what made the receiver (untyped code). */
  private resolve(call: CallLike): CalleeRef | undefined {
    const { program, checker, catalogue } = this.facts;
    const ref = resolveCallee(program, checker, call.expression);
    if (ref && (ref.resolvedBy === "checker" || matchBlockingApi(catalogue.blockingApis, ref))) return ref;
    return untypedCallee(checker, call) ?? ref;
  }

  private factoryOf(call: ts.CallExpression): BlockingApi | undefined {
    const ref = this.resolve(call);
    const api = ref && matchBlockingApi(this.facts.catalogue.blockingApis, ref);
    return api?.returnsBlocking ? api : undefined;
  }

  private classifyProjectCall(call: CallLike, ref: CalleeRef, budget: number): BlockingSite | undefined {
    const decl = ref.declaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = skipOuterExpressions(decl.initializer);
      if (ts.isCallExpression(init)) {
        const factory = this.factoryOf(init);
        if (factory) return { kind: "wrapped", node: call, name: ref.name, api: factory };
      }
    }
    const fn = projectFunctionOf(ref) ?? constructorOf(call, decl) ?? exportedFunction(this.facts.checker, decl);
    if (!fn) return this.classifyBySignature(call, decl);
    if (isAsyncFunction(fn) || isGenerator(fn)) return undefined;
    const inner = this.blockingOf(fn, budget);
    return inner ? { kind: "chain", node: call, name: displayName(fn, ref.name), callee: fn, inner, hops: 1 + (inner.kind === "chain" ? inner.hops : 0) } : undefined;
  }

  /**
   * A local binding with no body of its own (`const { readFileSync } = fs`, a
   * parameter typed `typeof execSync`): the checker's resolved signature says
   * which declaration the call really runs.
   */
  private classifyBySignature(call: CallLike, binding: ts.Declaration | undefined): BlockingSite | undefined {
    if (!binding || !(ts.isBindingElement(binding) || ts.isVariableDeclaration(binding) || ts.isParameter(binding) || ts.isPropertyDeclaration(binding))) return undefined;
    const { program, checker, catalogue } = this.facts;
    const target = checker.getResolvedSignature(call)?.declaration;
    if (!target || ts.isJSDocSignature(target) || target.getSourceFile() === binding.getSourceFile()) return undefined;
    const name = target.name && ts.isIdentifier(target.name) ? target.name.text : calleeName(call.expression);
    if (name === undefined) return undefined;
    const ref = calleeOfDeclaration(program, target, name);
    if (ref.origin === "project" || isKnownNotBlocking(ref)) return undefined;
    const api = matchBlockingApi(catalogue.blockingApis, ref);
    if (api) return api.returnsBlocking || readsKernelPseudoFile(checker, call, api) ? undefined : { kind: "api", node: call, name: apiCallName(call, ref, api), api, ref };
    return isConventionallySync(checker, call, ref) ? { kind: "conventional", node: call, name, ref } : undefined;
  }

  /** The first blocking site reached while `fn` runs, preferring the shortest chain. */
  private blockingOf(fn: ts.FunctionLikeDeclaration, budget: number): BlockingSite | undefined {
    if (budget <= 0) return undefined;
    const known = this.memo.get(fn);
    if (known && (known.query === undefined || known.query === this.query)) {
      const hops = known.site?.kind === "chain" ? known.site.hops : 0;
      if (known.site ? hops < budget : known.budget >= budget) return known.site;
    }
    if (this.inProgress.has(fn)) {
      this.cutByCycle = true;
      return undefined;
    }
    const outerCut = this.cutByCycle;
    this.cutByCycle = false;
    this.inProgress.add(fn);
    let best: BlockingSite | undefined;
    try {
      forEachNodeRunDuring(fn, (node) => {
        if (best && best.kind !== "chain") return;
        let site: BlockingSite | undefined;
        if (isBusyWaitLoop(node)) site = { kind: "busy-wait", node, name: "a busy-wait loop" };
        else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && this.isCandidate(node)) site = this.classifyCall(node, budget - 1);
        else if (isPropertyRead(node) && this.isCandidateRead(node)) site = this.classifyReadWithin(node, budget - 1);
        if (site && (!best || depthOf(site) < depthOf(best)) && !runsOnce(site.node)) best = site;
      });
    } finally {
      this.inProgress.delete(fn);
    }
    this.memo.set(fn, { site: best, budget, query: !best && this.cutByCycle ? this.query : undefined });
    this.cutByCycle = this.cutByCycle || outerCut;
    return best;
  }
}

/** `items.map(fn)`, `items.forEach(fn)`: a method that calls its function argument before it returns. */
function isSyncIteration(call: CallLike): call is ts.CallExpression {
  if (!ts.isCallExpression(call) || call.arguments.length === 0) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && runsCallbackDuringCall(callee.name.text);
}

/** A function passed by name (`loadJson`, `fs.readFileSync`), not a function written in place. */
function isReference(arg: ts.Expression): boolean {
  const e = skipOuterExpressions(arg);
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e);
}

/** `db.exec`, `Atomics.wait`, `Statement.all`: methods read better with their receiver. */
function apiCallName(call: CallLike, ref: CalleeRef, api: BlockingApi): string {
  if (api.owner === undefined) return ref.name;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = skipOuterExpressions(callee.expression);
    if (ts.isIdentifier(receiver) || receiver.kind === ts.SyntaxKind.ThisKeyword) return `${receiver.getText()}.${ref.name}`;
    if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) return `${receiver.getText()}.${ref.name}`;
  }
  return `${api.owner}.${ref.name}`;
}

function depthOf(site: BlockingSite): number {
  return site.kind === "chain" ? site.hops : 0;
}

/** `export default () => …` or `export default helper`: the function a default import calls. */
function exportedFunction(checker: ts.TypeChecker, decl: ts.Declaration | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!decl || !ts.isExportAssignment(decl)) return undefined;
  const value = skipOuterExpressions(decl.expression);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (!ts.isIdentifier(value)) return undefined;
  const target = checker.getSymbolAtLocation(value)?.declarations?.find(isFunctionWithBody);
  return target;
}

/** `new Service()`: the constructor with a body that the call runs. */
function constructorOf(call: CallLike, decl: ts.Declaration | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isNewExpression(call) || !decl || !ts.isClassLike(decl)) return undefined;
  return decl.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
}

export const BLOCKING_CALLS: FactKey<BlockingCalls> = {
  name: "blocking-calls",
  compute: (facts) => new BlockingCalls(facts),
};
