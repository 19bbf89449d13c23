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

export function analyseFile(project: Project, file: string, version: number, stamp: number, config: AsyncLensConfig, settings: AsyncLensSettings): FileAnalysis {
  const program = project.program();
  const source = program.getSourceFile(file);
  if (source === undefined) {
    return { file, version, stamp, findings: [], problems: [{ kind: "read", file, message: `${file} is not part of the TypeScript program of ${project.root}` }] };
  }
  const result = analyzeProgram(program, [source], {
    config: effectiveConfig(config, settings),
    root: project.root,
    ruleOverrides: settings.rules,
    projectFiles: project.sourceFiles(program),
  });
  return { file, version, stamp, findings: result.findings, problems: result.problems, source };
}
