// Parses the arguments of `async-lens check`. Anything wrong here is a usage
// error (exit 2) reported before any file is read.
import { SEVERITY_SETTINGS, type SeveritySetting } from "../core/types";
import { describeUnknownRule, unknownRuleIds } from "../core/rule-ids";

export type OutputFormat = "pretty" | "json" | "sarif";

export interface CheckArgs {
  paths: string[];
  project: string | undefined;
  format: OutputFormat;
  fix: boolean;
  /** Warnings tolerated before the exit code becomes 1; undefined means any number. */
  maxWarnings: number | undefined;
  ruleOverrides: Record<string, SeveritySetting>;
}

export type ParsedArgs = { ok: true; args: CheckArgs } | { ok: false; errors: string[] } | { ok: "help" };

const FORMATS: readonly OutputFormat[] = ["pretty", "json", "sarif"];

export function parseCheckArgs(argv: readonly string[]): ParsedArgs {
  const args: CheckArgs = { paths: [], project: undefined, format: "pretty", fix: false, maxWarnings: undefined, ruleOverrides: {} };
  const errors: string[] = [];
  const ruleIds: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // Both `--format json` and `--format=json`.
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string | undefined => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        errors.push(`${flag} needs a value`);
        return undefined;
      }
      i++;
      return next;
    };

    switch (flag) {
      case "--project":
      case "-p": {
        const value = takeValue();
        if (value !== undefined) args.project = value;
        break;
      }
      case "--format":
      case "-f": {
        const value = takeValue();
        if (value === undefined) break;
        if ((FORMATS as readonly string[]).includes(value)) args.format = value as OutputFormat;
        else errors.push(`unknown format '${value}' (expected ${FORMATS.join(", ")})`);
        break;
      }
      case "--fix":
        if (eq > 0) errors.push("--fix takes no value");
        args.fix = true;
        break;
      case "--max-warnings": {
        const value = takeValue();
        if (value === undefined) break;
        if (/^\d+$/.test(value)) args.maxWarnings = Number(value);
        // ESLint's convention: -1 means no limit.
        else if (value === "-1") args.maxWarnings = undefined;
        else errors.push(`--max-warnings expects a whole number, got '${value}'`);
        break;
      }
      case "--rule": {
        const value = takeValue();
        if (value === undefined) break;
        const m = /^([^=\s]+)=(\S+)$/.exec(value);
        if (!m) {
          errors.push(`--rule expects id=severity, got '${value}'`);
          break;
        }
        const [, id, severity] = m;
        if (!(SEVERITY_SETTINGS as readonly string[]).includes(severity)) {
          errors.push(`--rule ${id}: unknown severity '${severity}' (expected ${SEVERITY_SETTINGS.join(", ")})`);
          break;
        }
        ruleIds.push(id);
        args.ruleOverrides[id] = severity as SeveritySetting;
        break;
      }
      case "--help":
      case "-h":
        return { ok: "help" };
      default:
        if (arg.startsWith("-") && arg !== "-") errors.push(`unknown option '${arg}'`);
        else args.paths.push(arg);
    }
  }

  for (const id of unknownRuleIds(ruleIds)) errors.push(`--rule: unknown rule ${describeUnknownRule(id)}`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, args };
}
