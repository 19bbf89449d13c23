// Looks harmless, but it calls gitRevision(), which runs a child process.
import { gitRevision } from "./git";

export function versionLabel(base: string): string {
  return `${base}+${gitRevision()}`;
}
