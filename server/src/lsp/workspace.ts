// Which project each file belongs to, and the projects' lifetimes. A file
// belongs to the nearest tsconfig.json above it when that tsconfig includes it
// (as tsserver decides), otherwise to the inferred project of the workspace
// folder it is in (or of its own folder, outside every workspace folder).
// A project with no open document left is disposed, so memory follows what
// the editor has open.
import * as path from "node:path";
import ts from "typescript";
import { nearestTsconfigAbove } from "../core/project";
import type { Problem } from "../core/types";
import { Project, type OpenDocuments } from "./project";

export function isTsconfig(file: string): boolean {
  return path.basename(file) === "tsconfig.json";
}

export class Workspace {
  private readonly projects = new Map<string, Project>();
  // The analysis never reads JSDoc in .ts and .d.ts files (see core/project.ts); the registry must parse as the hosts ask.
  private readonly registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, "", ts.JSDocParsingMode.ParseForTypeInfo);
  /** Which project each open file was placed in. */
  private readonly placement = new Map<string, Project>();
  /**
   * The problems of each tsconfig a file was placed by: kept apart from the
   * projects because a broken tsconfig owns no file, so its project is not kept.
   */
  private readonly tsconfigProblems = new Map<string, readonly Problem[]>();
  private folders: string[] = [];

  constructor(private readonly documents: OpenDocuments) {}

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => path.resolve(f));
  }

  /** The project of an open file, created (and its program loaded) on first use. */
  projectOf(file: string, onCreate?: (project: Project) => void): Project {
    const placed = this.placement.get(file);
    if (placed !== undefined) return placed;
    const tsconfig = nearestTsconfigAbove(path.dirname(file));
    let project: Project | undefined;
    if (tsconfig !== undefined) {
      project = this.projects.get(tsconfig);
      if (project === undefined) {
        const candidate = new Project({ kind: "configured", tsconfig }, path.dirname(tsconfig), this.documents, this.registry);
        this.tsconfigProblems.set(tsconfig, candidate.problems);
        if (candidate.owns(file)) {
          project = candidate;
          this.projects.set(tsconfig, project);
          onCreate?.(project);
        } else {
          candidate.dispose();
        }
      } else if (!project.owns(file)) {
        project = undefined;
      }
    }
    if (project === undefined) {
      const root = this.folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);
      const key = `inferred:${root}`;
      project = this.projects.get(key);
      if (project === undefined) {
        project = new Project({ kind: "inferred" }, root, this.documents, this.registry);
        this.projects.set(key, project);
        onCreate?.(project);
      }
      project.addRoot(file);
    }
    this.placement.set(file, project);
    return project;
  }

  /** The document closed: the inferred project forgets it; a project with no open file left is released. */
  closed(file: string): void {
    const project = this.placement.get(file);
    if (project === undefined) return;
    this.placement.delete(file);
    if (project.kind.kind === "inferred") project.removeRoot(file);
    if (![...this.placement.values()].includes(project)) {
      for (const [key, p] of this.projects) if (p === project) this.projects.delete(key);
      project.dispose();
    }
  }

  /** Open files placed in `project`. */
  openFilesOf(project: Project): string[] {
    return [...this.placement].filter(([, p]) => p === project).map(([f]) => f);
  }

  allProjects(): Project[] {
    return [...this.projects.values()];
  }

  /** Problems in the tsconfigs looked at since the last tsconfig change, each reported on its tsconfig. */
  configProblems(): Problem[] {
    return [...this.tsconfigProblems.values()].flat();
  }

  /**
   * A file changed on disk (a watched-file event). Open files are not affected:
   * their editor text wins. A tsconfig that appears, goes, breaks or is mended
   * moves files between projects, so every placement is made again.
   */
  fileChangedOnDisk(file: string, kind: "created" | "changed" | "deleted"): void {
    if (isTsconfig(file)) return this.dispose();
    for (const p of this.projects.values()) p.fileChangedOnDisk(file, kind);
  }

  dispose(): void {
    for (const p of this.projects.values()) p.dispose();
    this.projects.clear();
    this.placement.clear();
    this.tsconfigProblems.clear();
  }
}

