// Runs an extension test module inside a real VS Code: code-server (VS Code's
// server build) under Node 24, its workbench opened by headless Chromium
// through playwright-core. How and why: /work/shared/vscode-e2e.md.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { format } from "node:util";
import { chromium, type Page } from "playwright-core";
import { withTimeout } from "../support/wait";
import { CHECKPOINT_PREFIX } from "./checkpoint-prefix";
import type { VsCodeInstall } from "./install";


export interface CodeServerRun {
  install: VsCodeInstall;
  workspace: string;
  extensionPath: string;
  testsPath: string;
  /** Called for each checkpoint the test module reaches, with the page; what it returns goes back to the test module. */
  onCheckpoint: (name: string, page: Page) => Promise<unknown>;
  log: (line: string) => void;
  timeoutMs: number;
}

/** The exit code of the extension host: 0 when the test module's run() resolved. */
export async function runInCodeServer(run: CodeServerRun): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-code-server-"));
  const checkpointDir = path.join(scratch, "checkpoints");
  fs.mkdirSync(checkpointDir);
  const port = await freePort();
  const server = startCodeServer(run, scratch, port, checkpointDir);
  const browser = await chromium.launch({
    executablePath: run.install.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    await server.listening;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction("codeAutomationExit", (code: number) => resolve(code));
    });
    let checkpoints = Promise.resolve();
    // The workbench logs as codeAutomationLog(level, [format, ...arguments]).
    await page.exposeFunction("codeAutomationLog", (level: string, args: unknown[]) => {
      const line = `${level} ${format(...(Array.isArray(args) ? args : [args]))}`;
      if (isNoise(line)) return;
      const checkpoint = line.indexOf(CHECKPOINT_PREFIX);
      if (checkpoint < 0) return run.log(line);
      const name = line.slice(checkpoint + CHECKPOINT_PREFIX.length).trim();
      // One at a time, in the order the test module reached them.
      checkpoints = checkpoints.then(async () => {
        let answer: unknown;
        try {
          answer = { ok: true, value: await run.onCheckpoint(name, page) };
        } catch (error) {
          answer = { ok: false, error: String(error) };
        }
        fs.writeFileSync(path.join(checkpointDir, `${name}.json`), JSON.stringify(answer));
      });
    });
    const payload = [
      ["extensionDevelopmentPath", `vscode-remote://127.0.0.1:${port}${run.extensionPath}`],
      ["extensionTestsPath", `vscode-remote://127.0.0.1:${port}${run.testsPath}`],
      ["skipWelcome", "true"],
    ];
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    return await withTimeout(exited, run.timeoutMs, "the extension host to finish the tests");
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function startCodeServer(run: CodeServerRun, scratch: string, port: number, checkpointDir: string) {
  const child = spawn(
    path.join(run.install.nodeBin, "node"),
    [
      run.install.codeServer,
      "--bind-addr", `127.0.0.1:${port}`,
      "--auth", "none",
      "--user-data-dir", path.join(scratch, "user-data"),
      "--extensions-dir", path.join(scratch, "extensions"),
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      "--vscode-option", "enable-smoke-test-driver",
      run.workspace,
    ],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PATH: `${run.install.nodeBin}${path.delimiter}${process.env.PATH}`,
        XDG_CONFIG_HOME: path.join(scratch, "config"),
        XDG_DATA_HOME: path.join(scratch, "data"),
        ASYNC_LENS_CHECKPOINT_DIR: checkpointDir,
      },
    },
  );
  let output = "";
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("HTTP server listening on")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`code-server exited (${signal ?? code}) before listening:\n${output.slice(-4000)}`)));
  });
  return { listening: withTimeout(listening, 60_000, "code-server to listen"), stop: () => stopGroup(child) };
}

/** TERM, then KILL, to the whole process group: code-server leaves an agentHost child behind otherwise. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup("SIGTERM");
  try {
    await withTimeout(exited, 5_000, "code-server to stop");
  } catch {
    signalGroup("SIGKILL");
    await exited;
  }
  signalGroup("SIGKILL");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Offline noise of a code-server with no network (vscode-e2e.md). */
function isNoise(line: string): boolean {
  return /ENOTFOUND open-vsx\.org|vsda|Timed out waiting for authentication provider 'github'|\/usr\/bin\/chromium: \d+: \[:/.test(line);
}
