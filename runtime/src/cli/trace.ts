// `async-lens trace print|summary|convert FILE [--out FILE]`.
import { readFile, writeFile } from "node:fs/promises";
import { traceFromBytes, type Trace } from "../trace-reader";
import { summarize } from "../trace-summary";
import { toChromeTrace } from "../chrome-trace";

const USAGE = "Usage: async-lens trace print|summary|convert FILE [--out FILE]";

const HELP = `${USAGE}

Reads a trace file written by the runtime (ASYNC_LENS_TRACE=FILE node --import async-lens/register app.js).

  summary FILE   per process (each run appended to the file is its own process, headed by
                 its pid, start time and command): worst blocks by file:line with the
                 program's own frames, how they were placed (by stack, by task, not at all),
                 event-loop utilisation and delay, warnings, counts of what was sampled or lost
  print FILE     every event, one line each
  convert FILE   the Chrome Trace Event format, which Perfetto (ui.perfetto.dev) and
                 chrome://tracing open

  --out FILE     write to FILE instead of stdout
  -h, --help     this help

Exit codes: 0 done, 2 usage error or unreadable file.`;

function usage(message: string): number {
  process.stderr.write(`async-lens trace: ${message}\n${USAGE}\n`);
  return 2;
}

function print(trace: Trace): string {
  const lines: string[] = [];
  for (const p of trace.processes) {
    for (const e of p.events) {
      const { type, t, ...rest } = e;
      lines.push(`[${p.pid}:${p.threadId}] ${t.toFixed(3).padStart(12)} ms ${type.padEnd(8)} ${JSON.stringify(rest)}`);
    }
  }
  if (trace.truncated) lines.push("(trace ends mid-record: the writer was killed)");
  return lines.join("\n");
}

export async function runTrace(args: string[]): Promise<number> {
  const [command, file, ...rest] = args;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (command !== "print" && command !== "summary" && command !== "convert") return usage(command === undefined ? "missing subcommand" : `unknown subcommand '${command}'`);
  if (file === undefined) return usage("missing trace file");
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--out" && rest[i + 1] !== undefined) out = rest[++i];
    else return usage(`unexpected argument '${rest[i]}'`);
  }
  let trace: Trace;
  try {
    trace = traceFromBytes(await readFile(file));
  } catch (error) {
    process.stderr.write(`async-lens trace: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const text = command === "print" ? print(trace) : command === "summary" ? summarize(trace) : JSON.stringify(toChromeTrace(trace.processes));
  if (out !== undefined) await writeFile(out, text + "\n");
  else process.stdout.write(text + "\n");
  return 0;
}
