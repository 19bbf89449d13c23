// The editor settings of Async Lens, declared once. The language server reads
// them per workspace folder through `workspace/configuration`; the VS Code
// client bundles this module and generates (and checks) package.json's
// `contributes.configuration` from SETTINGS, so the two can never drift.
// It imports nothing at run time: the client's bundle must not pull in the
// analysis core or TypeScript.
import { SEVERITY_SETTINGS, type SeveritySetting } from "../core/types";

/** The section every key below lives in; `workspace/configuration` is asked for it. */
export const SETTINGS_SECTION = "asyncLens";

export const TRACE_LEVELS = ["off", "messages", "verbose"] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

/** What the server applies to one workspace folder. */
export interface AsyncLensSettings {
  enable: boolean;
  /** Severity per rule id; wins over the project's configuration file. */
  rules: Record<string, SeveritySetting>;
  /** Wins over the configuration file's `chainDepth` when set. */
  chainDepth: number | null;
  /** Globs (relative to the folder) added to the configuration file's `ignore`. */
  ignore: string[];
  /** Milliseconds of quiet after an edit before the file is analysed again. */
  debounce: number;
  trace: { server: TraceLevel };
}

type JsonType = "boolean" | "integer" | "number" | "string" | "array" | "object" | "null";

/** One setting, in the shape of a `contributes.configuration` property (a JSON schema). */
export interface SettingDeclaration {
  key: `${typeof SETTINGS_SECTION}.${string}`;
  type: JsonType | JsonType[];
  default: unknown;
  markdownDescription: string;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  minimum?: number;
  maximum?: number;
  items?: { type: JsonType };
  additionalProperties?: { enum: readonly string[] };
  /** `resource`: may differ per workspace folder; `window`: one value for the editor window. */
  scope: "resource" | "window";
}

export const DEFAULT_SETTINGS: Readonly<AsyncLensSettings> = Object.freeze<AsyncLensSettings>({
  enable: true,
  rules: {},
  chainDepth: null,
  ignore: [],
  debounce: 150,
  trace: { server: "off" },
});

export const SETTINGS: readonly SettingDeclaration[] = [
  {
    key: "asyncLens.enable",
    type: "boolean",
    default: DEFAULT_SETTINGS.enable,
    markdownDescription: "Analyse the TypeScript and JavaScript files of this folder as they are edited.",
    scope: "resource",
  },
  {
    key: "asyncLens.rules",
    type: "object",
    default: DEFAULT_SETTINGS.rules,
    markdownDescription:
      "Severity per rule id, e.g. `{ \"blocking-call\": \"error\", \"unbounded-fanout\": \"off\" }`. Wins over `async-lens.config.json` and the `asyncLens` key of package.json.",
    additionalProperties: { enum: SEVERITY_SETTINGS },
    scope: "resource",
  },
  {
    key: "asyncLens.chainDepth",
    type: ["integer", "null"],
    default: DEFAULT_SETTINGS.chainDepth,
    markdownDescription: "How many project functions a blocking chain may pass through. `null` uses the configuration file's `chainDepth` (8 when it has none).",
    minimum: 0,
    maximum: 64,
    scope: "resource",
  },
  {
    key: "asyncLens.ignore",
    type: "array",
    default: DEFAULT_SETTINGS.ignore,
    markdownDescription: "Globs, relative to the workspace folder, of files not to analyse; added to the configuration file's `ignore`.",
    items: { type: "string" },
    scope: "resource",
  },
  {
    key: "asyncLens.debounce",
    type: "integer",
    default: DEFAULT_SETTINGS.debounce,
    markdownDescription: "Milliseconds without edits before a changed file is analysed again.",
    minimum: 0,
    maximum: 5000,
    scope: "window",
  },
  {
    key: "asyncLens.trace.server",
    type: "string",
    default: DEFAULT_SETTINGS.trace.server,
    markdownDescription: "Logs the messages between VS Code and the Async Lens language server to its output channel.",
    enum: TRACE_LEVELS,
    enumDescriptions: ["No log.", "The name of each request and notification.", "Each request and notification with its parameters and result."],
    scope: "window",
  },
];

/**
 * The settings from what a client answered for the `asyncLens` section, one key
 * at a time: a value of the wrong shape (a hand-edited settings.json) falls back
 * to its default instead of disabling analysis.
 */
export function settingsFrom(raw: unknown): AsyncLensSettings {
  const section = isRecord(raw) ? raw : {};
  const trace = isRecord(section.trace) ? section.trace : {};
  return {
    enable: typeof section.enable === "boolean" ? section.enable : DEFAULT_SETTINGS.enable,
    rules: isRecord(section.rules) ? validRules(section.rules) : {},
    chainDepth: isInteger(section.chainDepth, 0, 64) ? section.chainDepth : DEFAULT_SETTINGS.chainDepth,
    ignore: Array.isArray(section.ignore) ? section.ignore.filter((g): g is string => typeof g === "string" && g !== "") : [],
    debounce: isInteger(section.debounce, 0, 5000) ? section.debounce : DEFAULT_SETTINGS.debounce,
    trace: { server: TRACE_LEVELS.find((l) => l === trace.server) ?? DEFAULT_SETTINGS.trace.server },
  };
}

function validRules(rules: Record<string, unknown>): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(rules)) {
    const severity = SEVERITY_SETTINGS.find((s) => s === value);
    if (severity !== undefined) out[id] = severity;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}
