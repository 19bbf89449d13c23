// Runs the built CLI (out/server/src/cli/main.js) in a child process, as a user
// or a CI job would, and makes throwaway projects for it in the temp folder.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { runCheck } from "../../server/src/cli/check";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const CLI = path.join(REPO_ROOT, "out/server/src/cli/main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/** The environment of a plain pipe: no colour forced either way. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return env;
}

export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...baseEnv(), ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
  };
  const result = spawnSync(process.execPath, [CLI, ...args], spawnOptions);
  if (result.error) throw result.error;
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * Runs `async-lens check` in this process, with its output captured: the same
 * code as the binary without starting Node and loading TypeScript per run, for
 * property tests that run the check many times.
 */
export async function runCheckInProcess(args: string[], cwd: string): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => ({ isTTY: false, write: (text: string) => into.push(text) > 0 });
  const code = await runCheck(args, { cwd, env: {}, stdout: sink(out), stderr: sink(err) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/**
 * A project in a fresh temp folder. With `nodeModules`, its node_modules links to
 * the repository's, so @types/node and the lock libraries resolve as in a real
 * project; without, the program stays small and the run fast.
 */
export function makeProject(files: Record<string, string | Buffer>, options: { nodeModules?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-cli-"));
  if (options.nodeModules) fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Inside a mocha `describe`: a maker of throwaway projects, all removed after the suite. */
export function tempProjects(): (files: Record<string, string | Buffer>) => string {
  const made: string[] = [];
  after(() => made.forEach(removeProject));
  return (files) => {
    const dir = makeProject(files);
    made.push(dir);
    return dir;
  };
}

export function parseJson<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** Copies a folder, leaving out node_modules (linked instead, as in makeProject). */
export function copyProject(source: string): string {
  const dir = makeProject({}, { nodeModules: true });
  fs.cpSync(source, dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  return dir;
}

/** The type errors of a project folder with a tsconfig.json, as messages. */
export function projectTypeErrors(projectDir: string): string[] {
  const configFile = path.join(projectDir, "tsconfig.json");
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
