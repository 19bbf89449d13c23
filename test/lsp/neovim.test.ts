// A real client that is not ours: Neovim's built-in LSP client (Debian's
// neovim package, 0.7, which has push diagnostics only), headless, with the
// small Lua configuration beside this test. It starts `async-lens lsp --stdio`,
// opens a demo file and writes `vim.diagnostic.get()` as JSON.
import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI, REPO_ROOT } from "../support/lsp-client";

const INIT = path.join(REPO_ROOT, "test/lsp/neovim/init.lua");
const DEMO = path.join(REPO_ROOT, "examples/demo");

function hasNvim(): boolean {
  try {
    execFileSync("nvim", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Installs Debian's neovim on first use, as CI runs as root with apt; says what is missing where it cannot. */
function ensureNeovim(): void {
  if (hasNvim()) return;
  const apt = (args: string[]) => execFileSync("apt-get", args, { stdio: "pipe", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeout: 600_000 });
  try {
    apt(["update"]);
    apt(["install", "-y", "--no-install-recommends", "neovim"]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Neovim is missing and could not be installed with 'apt-get install neovim' (needs root and Debian's package lists): ${detail}`);
  }
  if (!hasNvim()) throw new Error("apt-get installed neovim but no 'nvim' is on the PATH");
}

interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  source: string;
  message: string;
  code: string;
  href: string | null;
}

function runNeovim(file: string): Promise<{ arrived: boolean; nvim: string; diagnostics: NvimDiagnostic[]; error?: string }> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "async-lens-nvim-")), "diagnostics.json");
  const child = spawn("nvim", ["--headless", "-n", "-i", "NONE", "-u", INIT], {
    cwd: DEMO,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ASYNC_LENS_LSP_CMD: JSON.stringify([process.execPath, CLI, "lsp", "--stdio"]),
      ASYNC_LENS_ROOT: DEMO,
      ASYNC_LENS_FILE: file,
      ASYNC_LENS_OUT: out,
      ASYNC_LENS_TIMEOUT_MS: "30000",
    },
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!fs.existsSync(out)) return reject(new Error(`nvim exited with ${code} without writing ${out}: ${stderr}`));
      resolve(JSON.parse(fs.readFileSync(out, "utf8")));
    });
  });
}

describe("Neovim's built-in LSP client", function () {
  // The first run may install Neovim with apt-get.
  this.timeout(600_000);
  before(ensureNeovim);

  it("starts async-lens lsp --stdio and shows the demo's findings with their ranges, codes and links", async () => {
    const result = await runNeovim(path.join(DEMO, "src/inventory/reserve.ts"));
    assert.equal(result.error, undefined);
    assert.ok(result.arrived, "no diagnostics arrived within the timeout");
    assert.deepEqual(
      result.diagnostics.map((d) => ({ range: [d.lnum, d.col, d.end_lnum, d.end_col], code: d.code, source: d.source, severity: d.severity, href: d.href })),
      [
        {
          range: [8, 24, 8, 43],
          code: "lock-not-released",
          source: "async-lens",
          severity: 2,
          href: "https://github.com/async-lens/async-lens/blob/main/server/docs/rules/lock-not-released.md",
        },
      ],
    );
    assert.match(result.diagnostics[0].message, /stockLock is not released on every path/);
  });
});
