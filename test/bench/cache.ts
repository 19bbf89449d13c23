// Prepares the benchmark's code bases in `.bench-cache/` on first use: the
// package tarball from the npm registry (through the npm client), unpacked and
// laid out, its typings installed at exact versions. Later runs reuse the
// folder, which is keyed by version; the tsconfig is rewritten every run so it
// always matches trees.ts.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { typingsManifest, type BenchTree } from "./trees";

const READY_STAMP = ".bench-ready";

export interface PreparedTree {
  tree: BenchTree;
  dir: string;
  tsconfig: string;
  /** The source files the tsconfig selects (what every tool checks). */
  files: string[];
  lines: number;
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function download(tree: BenchTree, cacheRoot: string): string {
  const downloads = path.join(cacheRoot, "downloads");
  fs.mkdirSync(downloads, { recursive: true });
  const packed = JSON.parse(run("npm", ["pack", `${tree.packageName}@${tree.version}`, "--json", "--pack-destination", downloads], downloads)) as { filename: string }[];
  return path.join(downloads, packed[0].filename);
}

function unpack(tarball: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", into], into);
}

function install(tree: BenchTree, dir: string): void {
  const folder = path.join(dir, tree.typingsFolder);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "package.json"), `${JSON.stringify(typingsManifest(tree), null, 2)}\n`);
  // Only typings are needed: no install scripts (several are native addons).
  run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], folder);
}

export function prepareTree(tree: BenchTree, cacheRoot: string, log: (line: string) => void): PreparedTree {
  const dir = path.join(cacheRoot, `${tree.id}-${tree.version}`);
  if (!fs.existsSync(path.join(dir, READY_STAMP))) {
    log(`preparing ${tree.packageName}@${tree.version} in ${path.relative(process.cwd(), dir)} (first run only)…`);
    const partial = `${dir}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(partial, { recursive: true });
    const unpacked = path.join(cacheRoot, `${tree.id}-${tree.version}.unpacked`);
    fs.rmSync(unpacked, { recursive: true, force: true });
    unpack(download(tree, cacheRoot), unpacked);
    tree.layout(unpacked, partial);
    fs.rmSync(unpacked, { recursive: true, force: true });
    install(tree, partial);
    fs.writeFileSync(path.join(partial, READY_STAMP), `${tree.packageName}@${tree.version}\n`);
    fs.renameSync(partial, dir);
  }
  const tsconfig = path.join(dir, "tsconfig.json");
  fs.writeFileSync(tsconfig, `${JSON.stringify(tree.tsconfig, null, 2)}\n`);
  const files = sourceFilesOf(tsconfig);
  return { tree, dir, tsconfig, files, lines: files.reduce((sum, f) => sum + countLines(fs.readFileSync(f, "utf8")), 0) };
}

function sourceFilesOf(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  return (parsed?.fileNames ?? []).filter((f) => !/\.d\.[mc]?ts$/.test(f));
}

/** Lines as `wc -l` counts them, plus an unterminated last line. */
export function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return text.length > 0 && !text.endsWith("\n") ? lines + 1 : lines;
}
