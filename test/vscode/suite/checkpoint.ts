// Under code-server, the launcher watches the workbench page: at a checkpoint
// the test module asks it to look (a screenshot, the status bar's DOM) and
// waits for its answer. Desktop VS Code has no such launcher; there the
// checkpoint answers undefined and the tests rely on the extension API alone.
import * as fs from "node:fs";
import * as path from "node:path";
import { waitForFile } from "../../support/wait";
import { CHECKPOINT_PREFIX } from "../checkpoint-prefix";

export async function checkpoint(name: string): Promise<unknown> {
  const dir = process.env.ASYNC_LENS_CHECKPOINT_DIR;
  if (!dir) return undefined;
  const answerFile = path.join(dir, `${name}.json`);
  console.log(`${CHECKPOINT_PREFIX}${name}`);
  await waitForFile(answerFile, 30_000);
  const answer = JSON.parse(fs.readFileSync(answerFile, "utf8")) as { ok: boolean; value?: unknown; error?: string };
  if (!answer.ok) throw new Error(`checkpoint ${name}: ${answer.error}`);
  return answer.value;
}
