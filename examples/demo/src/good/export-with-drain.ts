// Silent: the export waits for 'drain' whenever the stream asks it to slow down.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";

export async function exportLines(file: string, lines: AsyncIterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for await (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await finished(out);
}
