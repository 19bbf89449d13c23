// blocking-call through a chain across files: health() → versionLabel()
// (build/version.ts) → gitRevision() (build/git.ts) → execSync. Every health
// probe stalls the event loop for as long as git takes.
import { versionLabel } from "../build/version";

export async function health(): Promise<{ status: string; version: string; uptime: number }> {
  return { status: "ok", version: versionLabel("1.4.0"), uptime: process.uptime() };
}
