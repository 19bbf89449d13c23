// Analyses one open file of a project with the configuration that applies to
// it: the project's configuration file, overridden by the editor settings of
// its workspace folder. Results are tagged with the document version and the
// dependency stamp they were computed from, so a result older than the text
// on screen is never shown.
import "../core/load-typescript";
import * as path from "node:path";
import type ts from "typescript";
import { analyzeProgram, unknownConfigRules } from "../core/analyzer";
import { CONFIG_FILE_NAME, loadConfig, type AsyncLensConfig, type LoadedConfig } from "../core/config";
import { compareFindings } from "../core/diagnostic";
import { planPartialAnalysis } from "../core/partial-analysis";
import type { Finding, Problem } from "../core/types";
import type { Project } from "./project";
import type { AsyncLensSettings } from "./settings";

export interface FileAnalysis {
  file: string;
  /** Document version the findings are for. */
  version: number;
  /** The file's dependency stamp when computed: bumped when a file its findings depend on changes. */
  stamp: number;
  findings: Finding[];
  /** Rule failures and unreadable inputs, shown on the file. */
  problems: Problem[];
  /** The text analysed, parsed: code actions compute their edits on it. */
  source?: ts.SourceFile;
  /** What the next analysis of this file needs to re-analyse it in part after an edit. */
  basis?: AnalysisBasis;
  /** Some units kept their previous findings: a full analysis confirms them once typing pauses. */
  partial?: boolean;
}

/** The inputs and raw findings of an analysis, to tell what the next one may keep. */
interface AnalysisBasis {
  text: string;
  /** The program's files when analysed: if only this file has changed since, only its edit can change its findings. */
  programFiles: readonly ts.SourceFile[];
  configKey: string;
  unsuppressed: Finding[];
}

/** The configuration files of each project root, re-read when one of them changes on disk. */
export class ConfigFiles {
  private readonly loaded = new Map<string, LoadedConfig>();

  of(root: string): LoadedConfig {
    let config = this.loaded.get(root);
    if (config === undefined) {
      config = loadConfig(root);
      if (config.problems.length === 0 && config.file !== undefined) config = { ...config, problems: unknownConfigRules(config.config, config.file) };
      this.loaded.set(root, config);
    }
    return config;
  }

  static isConfigFile(file: string): boolean {
    const name = path.basename(file);
    return name === CONFIG_FILE_NAME || name === "package.json";
  }

  /** Forgets the configuration read from `file`'s folder; true when one was loaded from there. */
  changed(file: string): boolean {
    return this.loaded.delete(path.dirname(file));
  }

}

/** The configuration file's values with the editor settings laid over them. */
export function effectiveConfig(config: AsyncLensConfig, settings: AsyncLensSettings): AsyncLensConfig {
  return { ...config, chainDepth: settings.chainDepth ?? config.chainDepth, ignore: [...config.ignore, ...settings.ignore] };
}

/**
 * Analyses the file; with `previous`, the result of its last analysis, only
 * the parts an edit to this file alone can have changed (see partial-analysis).
 */
export function analyseFile(project: Project, file: string, version: number, stamp: number, config: AsyncLensConfig, settings: AsyncLensSettings, previous?: FileAnalysis): FileAnalysis {
  const program = project.program();
  const source = program.getSourceFile(file);
  if (source === undefined) {
    return { file, version, stamp, findings: [], problems: [{ kind: "read", file, message: `${file} is not part of the TypeScript program of ${project.root}` }] };
  }
  const effective = effectiveConfig(config, settings);
  const configKey = JSON.stringify([effective, settings.rules]);
  const projectFiles = project.sourceFiles(program);
  const programFiles = program.getSourceFiles();
  // A syntax error can regroup the text after it into other statements and members: no unit of such a tree is kept, nor of the one before it.
  const parses = program.getSyntacticDiagnostics(source).length === 0;
  const basis = previous?.basis;
  const plan = basis && parses && basis.configKey === configKey && onlyChanged(source, basis.programFiles, programFiles) ? planPartialAnalysis(source, basis.text, basis.unsuppressed, effective.chainDepth) : undefined;
  const result = analyzeProgram(program, [source], {
    config: effective,
    root: project.root,
    ruleOverrides: settings.rules,
    projectFiles,
    carried: project.carriedFacts(projectFiles, configKey),
    partial: plan && { file: source.fileName, plan },
  });
  return {
    file,
    version,
    stamp,
    // One order for a partial result and a full one, which the scheduler compares.
    findings: result.findings.sort(compareFindings),
    problems: result.problems,
    source,
    basis: result.problems.length === 0 && parses ? { text: source.text, programFiles, configKey, unsuppressed: result.unsuppressed } : undefined,
    partial: plan !== undefined,
  };
}

/** True when `file` is the only file of the program that is not the same as in `before`. */
function onlyChanged(file: ts.SourceFile, before: readonly ts.SourceFile[], now: readonly ts.SourceFile[]): boolean {
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) if (now[i] !== before[i] && now[i] !== file) return false;
  return true;
}
