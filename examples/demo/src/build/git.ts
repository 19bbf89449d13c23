// The bottom of a synchronous helper chain: it runs git and waits for it.
import { execSync } from "node:child_process";

export function gitRevision(): string {
  return execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
}
