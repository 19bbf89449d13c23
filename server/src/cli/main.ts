#!/usr/bin/env node
// The `async-lens` command: one binary, one subcommand per job. `check` is the
// static analysis (server/), `lsp` the same analysis as a language server,
// `trace` reads trace files written by the runtime.
//
// Each subcommand is loaded on demand: `trace` does not need the TypeScript
// compiler, and `check` does not need the trace reader.

export const USAGE = `Usage:
  async-lens check [paths...] [--project tsconfig.json] [--format pretty|json|sarif]
                   [--fix] [--max-warnings N] [--rule id=severity]
  async-lens trace print|summary|convert FILE [--out FILE]
  async-lens lsp --stdio | --node-ipc
  async-lens --help | --version`;

/** Exit codes shared by every subcommand: 0 clean, 1 findings, 2 usage or config error. */
export const enum ExitCode {
  Clean = 0,
  Findings = 1,
  UsageError = 2,
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return (await import("./check.js")).runCheck(rest);
    case "lsp":
      return (await import("./lsp.js")).runLsp(rest);
    case "trace":
      return (await import("../../../runtime/src/cli/trace.js")).runTrace(rest);
    case "--version":
    case "-v":
      // async-lens-ignore-next-line blocking-call -- reads one small file before the command exits; nothing else is running
      process.stdout.write(`${(await import("./version.js")).toolVersion()}\n`);
      return ExitCode.Clean;
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return ExitCode.Clean;
    default:
      process.stderr.write(`async-lens: ${command === undefined ? "missing command" : `unknown command '${command}'`}\n${USAGE}\n`);
      return ExitCode.UsageError;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`async-lens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = ExitCode.UsageError;
    },
  );
}
