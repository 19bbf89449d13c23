// The catalogue of blocking APIs: data, not code branches. A call is blocking
// when its resolved callee matches an entry (module, optional owner, name).
// Entries are tried in order, so specific ones (with an async twin and a fix)
// come before the catch-all pattern of their module.

export interface AsyncAlternative {
  /** Module that exports the async twin (`fs/promises`, `child_process`); `lib` for a standard global's method. */
  module: string;
  /** Export (or method) name of the twin (`readFile`, `exec`, `waitAsync`). */
  name: string;
  /**
   * How the twin is called in place of the blocking call:
   * - `promises`: `await twin(args)` returns what the sync call returned;
   * - `promisify`: `await promisify(twin)(args)` returns what the sync call returned;
   * - `promisify-stdout`: like `promisify`, but the result is `{ stdout, stderr }` (the exec family);
   * - `wait-async`: `await Atomics.waitAsync(args).value`.
   */
  style: "promises" | "promisify" | "promisify-stdout" | "wait-async";
}

export interface BlockingApi {
  /**
   * Normalised module (`fs`, `child_process`, `better-sqlite3`); `lib` for
   * TypeScript's standard library globals; `global` for an ambient namespace
   * such as `Deno`, matched by its owner.
   */
  module: string;
  /** Declaring class, interface or namespace, for methods (`Atomics`, `Statement`). */
  owner?: string;
  /** Exact name, or a pattern with `*` (`*Sync`); `*` alone is any export of the module. */
  name: string;
  /** Why it blocks, completing "… blocks the event loop while it …". */
  reason: string;
  asyncAlternative?: AsyncAlternative;
  /** What to do instead, when there is no direct twin (or to say more than the twin's name). */
  advice?: string;
  /**
   * The call itself does not block, but the function it returns does when
   * called (`deasync(fn)`, a better-sqlite3 `db.transaction(fn)`).
   */
  returnsBlocking?: boolean;
  /**
   * Names this entry's module must appear under in a project's imports for its
   * owner methods to be worth resolving: generic method names (`get`, `run`)
   * are pre-filtered only in projects that use the module.
   */
  importedAs?: readonly string[];
  /**
   * The call is cheap when the argument at `argument` is a constant of at most
   * `bytes` (`randomFillSync(pool, 0, 8 * 1024)` costs microseconds): only a
   * size that grows with input, or a large one, blocks for long.
   */
  cheapUpTo?: { argument: number; bytes: number };
  /**
   * The call only reads the path at this argument: a path the code fixes under
   * `/proc/` or `/sys/` is a kernel pseudo-file, answered from memory with no
   * disk to wait for (`readFileSync("/proc/meminfo")`).
   */
  readsPath?: number;
}

/** `fs` functions whose `*Sync` form has a promise twin in `fs/promises` with the same result. */
const FS_TWINS: readonly (readonly [name: string, reason: string])[] = [
  ["readFile", "reads the file"],
  ["writeFile", "writes the file"],
  ["appendFile", "appends to the file"],
  ["readdir", "lists the directory"],
  ["mkdir", "creates the directory"],
  ["mkdtemp", "creates the temporary directory"],
  ["rm", "removes the path"],
  ["rmdir", "removes the directory"],
  ["unlink", "deletes the file"],
  ["rename", "renames the path"],
  ["copyFile", "copies the file"],
  ["cp", "copies the files"],
  ["access", "checks the file's permissions"],
  ["chmod", "changes the file's mode"],
  ["chown", "changes the file's owner"],
  ["lchown", "changes the link's owner"],
  ["utimes", "sets the file's times"],
  ["lutimes", "sets the link's times"],
  ["link", "creates the link"],
  ["symlink", "creates the symbolic link"],
  ["readlink", "reads the link"],
  ["realpath", "resolves the path on disk"],
  ["truncate", "truncates the file"],
  ["stat", "reads the file's metadata"],
  ["lstat", "reads the link's metadata"],
  ["statfs", "reads the file system's metadata"],
];

/** The twins that only read their first argument's path. */
const FS_READS: ReadonlySet<string> = new Set(["readFile", "readdir", "access", "readlink", "realpath", "stat", "lstat", "statfs"]);

const fsEntries: BlockingApi[] = [
  ...FS_TWINS.map(([name, reason]): BlockingApi => ({
    module: "fs",
    name: `${name}Sync`,
    reason,
    asyncAlternative: { module: "fs/promises", name, style: "promises" },
    ...(FS_READS.has(name) ? { readsPath: 0 } : {}),
  })),
  { module: "fs", name: "existsSync", readsPath: 0, reason: "checks the disk", advice: "use `await access(path)` from `node:fs/promises` (it rejects when the path is missing), or open the file and handle `ENOENT`" },
  { module: "fs", name: "*Sync", reason: "waits for the file system", advice: "use its promise form from `node:fs/promises` (or a `FileHandle`)" },
  // fs-extra and graceful-fs typings re-export `fs`, so typed calls land on `fs`; these cover their own functions and untyped JS.
  { module: "fs-extra", name: "*Sync", reason: "waits for the file system", advice: "use the same function without `Sync`: fs-extra returns a promise when no callback is given" },
  { module: "graceful-fs", name: "*Sync", reason: "waits for the file system", advice: "use its promise form from `node:fs/promises`" },
];

const ZLIB_TWINS = ["gzip", "gunzip", "deflate", "inflate", "deflateRaw", "inflateRaw", "unzip", "brotliCompress", "brotliDecompress"];

const processAndCpu: BlockingApi[] = [
  { module: "child_process", name: "execSync", reason: "waits for the command to finish", asyncAlternative: { module: "child_process", name: "exec", style: "promisify-stdout" } },
  { module: "child_process", name: "execFileSync", reason: "waits for the program to finish", asyncAlternative: { module: "child_process", name: "execFile", style: "promisify-stdout" } },
  { module: "child_process", name: "spawnSync", reason: "waits for the child process to exit", advice: "use `spawn` and `await once(child, \"close\")` (from `node:events`)" },
  { module: "crypto", name: "pbkdf2Sync", reason: "derives the key (deliberately slow CPU work)", asyncAlternative: { module: "crypto", name: "pbkdf2", style: "promisify" } },
  { module: "crypto", name: "scryptSync", reason: "derives the key (deliberately slow CPU work)", asyncAlternative: { module: "crypto", name: "scrypt", style: "promisify" } },
  { module: "crypto", name: "randomFillSync", reason: "fills the buffer from the entropy source", advice: "use `randomFill` with a callback or `promisify`", cheapUpTo: { argument: 2, bytes: 64 * 1024 } },
  { module: "crypto", name: "generateKeyPairSync", reason: "generates the key pair (heavy CPU work)", advice: "use `promisify(generateKeyPair)` from `node:crypto`" },
  { module: "crypto", name: "generateKeySync", reason: "generates the key", advice: "use `promisify(generateKey)` from `node:crypto`" },
  { module: "crypto", name: "generatePrimeSync", reason: "searches for a prime (heavy CPU work)", advice: "use `promisify(generatePrime)` from `node:crypto`" },
  { module: "crypto", name: "checkPrimeSync", reason: "tests the number for primality", advice: "use `promisify(checkPrime)` from `node:crypto`" },
  { module: "crypto", name: "hkdfSync", reason: "derives the key", advice: "use `promisify(hkdf)` from `node:crypto`" },
  ...ZLIB_TWINS.map((name): BlockingApi => ({
    module: "zlib",
    name: `${name}Sync`,
    reason: "compresses or decompresses the whole buffer",
    asyncAlternative: { module: "zlib", name, style: "promisify" },
  })),
  { module: "zlib", name: "*Sync", reason: "compresses or decompresses the whole buffer", advice: "use the callback form with `promisify`, or a stream" },
  {
    module: "lib",
    owner: "Atomics",
    name: "wait",
    reason: "suspends the thread until another thread notifies it",
    asyncAlternative: { module: "lib", name: "waitAsync", style: "wait-async" },
  },
];

const SQLITE_ADVICE = "keep these queries out of hot async paths, or run them in a worker thread (or use an asynchronous driver)";

const databases: BlockingApi[] = [
  { module: "sqlite", name: "DatabaseSync", reason: "opens the database file", advice: SQLITE_ADVICE },
  ...["run", "get", "all", "iterate"].map((name): BlockingApi => ({ module: "sqlite", owner: "StatementSync", name, reason: "runs the query", advice: SQLITE_ADVICE, importedAs: ["sqlite"] })),
  ...["exec"].map((name): BlockingApi => ({ module: "sqlite", owner: "DatabaseSync", name, reason: "runs the SQL", advice: SQLITE_ADVICE, importedAs: ["sqlite"] })),
  { module: "better-sqlite3", name: "Database", reason: "opens the database file", advice: SQLITE_ADVICE },
  ...["run", "get", "all", "iterate"].map((name): BlockingApi => ({ module: "better-sqlite3", owner: "Statement", name, reason: "runs the query", advice: SQLITE_ADVICE, importedAs: ["better-sqlite3"] })),
  ...["exec", "pragma", "serialize", "loadExtension"].map((name): BlockingApi => ({ module: "better-sqlite3", owner: "Database", name, reason: "runs the SQL", advice: SQLITE_ADVICE, importedAs: ["better-sqlite3"] })),
  { module: "better-sqlite3", owner: "Database", name: "transaction", reason: "runs the transaction", advice: SQLITE_ADVICE, returnsBlocking: true, importedAs: ["better-sqlite3"] },
  ...["default", "deferred", "immediate", "exclusive"].map((name): BlockingApi => ({ module: "better-sqlite3", owner: "Transaction", name, reason: "runs the transaction", advice: SQLITE_ADVICE, importedAs: ["better-sqlite3"] })),
];

const BCRYPT_ADVICE = "use the promise form without `Sync` (`await hash(…)`, `await compare(…)`)";

const libraries: BlockingApi[] = [
  ...["bcrypt", "bcryptjs"].flatMap((module): BlockingApi[] =>
    ["hash", "compare", "genSalt"].map((name) => ({
      module,
      name: `${name}Sync`,
      reason: "hashes with a deliberately slow algorithm",
      asyncAlternative: { module, name, style: "promises" },
    })),
  ),
  ...["bcrypt", "bcryptjs"].map((module): BlockingApi => ({ module, name: "*Sync", reason: "hashes with a deliberately slow algorithm", advice: BCRYPT_ADVICE })),
  ...["execaSync", "execaCommandSync", "execaNodeSync", "sync", "commandSync", "s"].map((name): BlockingApi => ({ module: "execa", name, reason: "waits for the command to finish", advice: "use the promise form (`await execa(…)`, ``await $`…` ``)" })),
  ...["glob", "fast-glob", "globby", "tinyglobby"].flatMap((module): BlockingApi[] => [
    { module, name: "sync", reason: "walks the directory tree", advice: "use the promise form (`await glob(…)`)" },
    { module, name: "*Sync", reason: "walks the directory tree", advice: "use the promise form (`await glob(…)`)" },
  ]),
  { module: "rimraf", name: "sync", reason: "deletes the tree", advice: "use the promise form (`await rimraf(…)`) or `rm` from `node:fs/promises`" },
  { module: "mkdirp", name: "sync", reason: "creates the directories", advice: "use `mkdir(path, { recursive: true })` from `node:fs/promises`" },
  { module: "del", name: "sync", reason: "deletes the files", advice: "use the promise form (`await deleteAsync(…)`)" },
  { module: "which", name: "sync", reason: "searches the PATH on disk", advice: "use the promise form (`await which(…)`)" },
  { module: "resolve", name: "sync", reason: "searches the file system for the module", advice: "use the callback form, or resolve at start-up" },
  { module: "cross-spawn", name: "sync", reason: "waits for the child process to exit", advice: "use `spawn` and await its `close` event" },
  { module: "write-file-atomic", name: "sync", reason: "writes the file", advice: "use the promise form (`await writeFileAtomic(…)`)" },
  { module: "deasync", name: "deasync", reason: "spins the event loop until the callback fires", advice: "await the asynchronous function instead", returnsBlocking: true },
  ...["sleep", "loopWhile", "runLoopOnce"].map((name): BlockingApi => ({ module: "deasync", name, reason: "spins a nested event loop", advice: "await the condition instead" })),
  ...["sleep", "msleep", "usleep"].map((name): BlockingApi => ({ module: "sleep", name, reason: "sleeps the whole thread", advice: "use `await setTimeout(ms)` from `node:timers/promises`" })),
  { module: "system-sleep", name: "*", reason: "sleeps the whole thread", advice: "use `await setTimeout(ms)` from `node:timers/promises`" },
  { module: "sync-request", name: "*", reason: "waits for the HTTP response", advice: "use `await fetch(…)`" },
  { module: "sync-fetch", name: "*", reason: "waits for the HTTP response", advice: "use `await fetch(…)`" },
  ...["question*", "keyIn*", "prompt*", "getRawInput"].map((name): BlockingApi => ({ module: "readline-sync", name, reason: "waits for the user to type", advice: "use `await rl.question(…)` from `node:readline/promises`" })),
];

const runtimes: BlockingApi[] = [
  { module: "global", owner: "Deno", name: "*Sync", reason: "waits for the operating system", advice: "use the `Deno` function of the same name without `Sync`" },
  { module: "bun", name: "spawnSync", reason: "waits for the child process to exit", advice: "use `await Bun.spawn(…).exited`" },
  { module: "bun", name: "sleepSync", reason: "sleeps the whole thread", advice: "use `await Bun.sleep(ms)`" },
];

/** A synchronous SQLite module, described so that its objects are recognised where it has no typings. */
export interface SyncDatabase {
  module: string;
  /** Names the database constructor is imported under (`default`, `*` for the module itself, `DatabaseSync`). */
  exports: readonly string[];
  /** The constructor's name in the catalogue. */
  constructorName: string;
  /** Catalogue owners of the database's and the statements' methods. */
  databaseOwner: string;
  statementOwner: string;
}

export const SYNC_DATABASES: readonly SyncDatabase[] = [
  { module: "better-sqlite3", exports: ["default", "*"], constructorName: "Database", databaseOwner: "Database", statementOwner: "Statement" },
  { module: "sqlite", exports: ["DatabaseSync"], constructorName: "DatabaseSync", databaseOwner: "DatabaseSync", statementOwner: "StatementSync" },
];

/**
 * Names code conventionally gives Node's modules, used only where nothing
 * declares the name (code cut out of the module that imported it).
 */
export const CONVENTIONAL_RECEIVERS: Readonly<Record<string, string>> = {
  fs: "fs",
  fse: "fs-extra",
  fsExtra: "fs-extra",
  cp: "child_process",
  childProcess: "child_process",
  child_process: "child_process",
  zlib: "zlib",
  crypto: "crypto",
};

/** A library function that looks blocking by Node's naming convention but is not. */
export interface NotBlockingApi {
  module: string;
  /** Exact name or `*` pattern. */
  name: string;
}

/**
 * Exceptions to the `xSync` convention: in-memory file systems, and libraries
 * where `Sync` only means "without async hooks" (argument parsing and schema
 * validation, pure CPU work on small inputs).
 */
export const NOT_BLOCKING_APIS: readonly NotBlockingApi[] = [
  { module: "memfs", name: "*" },
  { module: "memory-fs", name: "*" },
  { module: "metro-memory-fs", name: "*" },
  { module: "yargs", name: "parseSync" },
  { module: "yup", name: "*Sync" },
  { module: "class-validator", name: "*Sync" },
];

export const BLOCKING_APIS: readonly BlockingApi[] = [...fsEntries, ...processAndCpu, ...databases, ...libraries, ...runtimes];
