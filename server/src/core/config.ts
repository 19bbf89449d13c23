// The project's Async Lens configuration: async-lens.config.json at the root,
// or the "asyncLens" key of package.json. A file that is not valid JSON or does
// not match the schema is reported once, as a problem on that file, and the
// defaults apply: a typo never silences analysis.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { ParseError } from "jsonc-parser";
import schema from "../../schema/async-lens.config.schema.json";
import type { Position, Problem, SeveritySetting } from "./types";

export const CONFIG_FILE_NAME = "async-lens.config.json";
export const DEFAULT_CHAIN_DEPTH = 8;

export interface ModuleExport {
  module: string;
  export: string;
}

export interface AsyncLensConfig {
  rules: Record<string, SeveritySetting>;
  blockingApis: (ModuleExport & { asyncAlternative?: string })[];
  locks: ModuleExport[];
  queues: ModuleExport[];
  ignore: string[];
  chainDepth: number;
}

export const DEFAULT_CONFIG: AsyncLensConfig = Object.freeze({
  rules: {},
  blockingApis: [],
  locks: [],
  queues: [],
  ignore: [],
  chainDepth: DEFAULT_CHAIN_DEPTH,
});

export interface LoadedConfig {
  config: AsyncLensConfig;
  /** The file the configuration came from, if any. */
  file: string | undefined;
  problems: Problem[];
}

// Loading Ajv (a sixth of a second) and compiling the schema cost start-up time
// that a project without a config file never needs: a one-file check from a
// git hook is mostly start-up. Hence the requires on first use.
let validator: ValidateFunction | undefined;
function validate(value: unknown): { valid: boolean; errors: ErrorObject[] } {
  validator ??= new (require("ajv") as typeof import("ajv")).default({ allErrors: true }).compile(schema);
  const valid = validator(value);
  return { valid, errors: validator.errors ?? [] };
}

/** Merges a validated partial configuration over the defaults. */
export function withDefaults(partial: Partial<AsyncLensConfig>): AsyncLensConfig {
  return { ...DEFAULT_CONFIG, ...partial, rules: { ...partial.rules } };
}

/** Validates an already-parsed configuration object; returns the messages of what is wrong. */
export function validateConfig(value: unknown): string[] {
  const { valid, errors } = validate(value);
  if (valid) return [];
  return errors.map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : ""}${e.params && "allowedValues" in e.params ? `: ${(e.params.allowedValues as unknown[]).join(", ")}` : ""}`);
}

function fromText(file: string, text: string, key: string | undefined): LoadedConfig {
  const { parse, printParseErrorCode } = require("jsonc-parser") as typeof import("jsonc-parser");
  const errors: ParseError[] = [];
  const parsed: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const e = errors[0];
    const range = { start: positionAt(text, e.offset), end: positionAt(text, e.offset + e.length) };
    return { config: DEFAULT_CONFIG, file, problems: [{ kind: "config", file, range, message: `not valid JSON (${printParseErrorCode(e.error)}); using the default configuration.` }] };
  }
  const value = key === undefined ? parsed : (parsed as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) return { config: DEFAULT_CONFIG, file: undefined, problems: [] };
  const messages = validateConfig(value);
  if (messages.length > 0) {
    const what = key === undefined ? "the configuration" : `the "${key}" key`;
    return { config: DEFAULT_CONFIG, file, problems: [{ kind: "config", file, message: `${what} is invalid: ${messages.join("; ")}; using the default configuration.` }] };
  }
  return { config: withDefaults(value as Partial<AsyncLensConfig>), file, problems: [] };
}

/** The 0-based line and UTF-16 column of an offset, as every other range in a Problem. */
function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

function readIfPresent(file: string): { text: string } | { error: string } | undefined {
  try {
    return { text: fs.readFileSync(file, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    return { error: `cannot read ${file}: ${(error as Error).message}` };
  }
}

/**
 * Loads the configuration that applies to the project rooted at `root`: the
 * first of `root` and the folders above it that holds async-lens.config.json
 * or a package.json with an "asyncLens" key, so a sub-folder checked on its
 * own gets its project's configuration.
 */
export function loadConfig(root: string): LoadedConfig {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const found = configIn(dir);
    if (found !== undefined) return found;
    if (path.dirname(dir) === dir) return { config: DEFAULT_CONFIG, file: undefined, problems: [] };
  }
}

function configIn(dir: string): LoadedConfig | undefined {
  for (const [name, key] of [[CONFIG_FILE_NAME, undefined], ["package.json", "asyncLens"]] as const) {
    const file = path.join(dir, name);
    const read = readIfPresent(file);
    if (read === undefined) continue;
    if ("error" in read) return { config: DEFAULT_CONFIG, file, problems: [{ kind: "config", file, message: `${read.error}; using the default configuration.` }] };
    const loaded = fromText(file, read.text, key);
    if (loaded.file !== undefined || loaded.problems.length > 0) return loaded;
  }
  return undefined;
}
