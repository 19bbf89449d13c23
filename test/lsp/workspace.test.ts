// Which project a file is placed in, and that closing the editor's last file of
// a project releases its LanguageService (memory follows what is open).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Workspace } from "../../server/src/lsp/workspace";

const DEMO = path.resolve(__dirname, "../../../examples/demo");

describe("language server workspace", () => {
  const open = new Map<string, { text: string; version: number }>();
  const workspace = new Workspace({ get: (file) => open.get(file) });
  const openFile = (file: string, text = fs.readFileSync(file, "utf8")) => {
    open.set(file, { text, version: 1 });
    return workspace.projectOf(file);
  };
  const close = (file: string) => {
    open.delete(file);
    workspace.closed(file);
  };
  after(() => workspace.dispose());

  it("places files in their tsconfig project, loose files in the folder's inferred project, and releases a project when its last file closes", () => {
    workspace.setFolders([DEMO]);
    const audit = path.join(DEMO, "src/accounts/audit.ts");
    const transfer = path.join(DEMO, "src/accounts/transfer.ts");
    const loose = path.join(DEMO, "scratch.ts");
    const project = openFile(audit);
    assert.deepEqual(project.kind, { kind: "configured", tsconfig: path.join(DEMO, "tsconfig.json") });
    assert.equal(openFile(transfer), project);
    // Not on disk and outside the tsconfig's include: the inferred project of the folder.
    const inferred = openFile(loose, "export const x = 1;\n");
    assert.deepEqual(inferred.kind, { kind: "inferred" });
    assert.equal(inferred.root, DEMO);
    assert.ok(inferred.program().getSourceFile(loose));
    assert.equal(workspace.allProjects().length, 2);

    close(audit);
    assert.equal(workspace.allProjects().length, 2);
    close(transfer);
    assert.deepEqual(workspace.allProjects(), [inferred]);
    close(loose);
    assert.deepEqual(workspace.allProjects(), []);
  });
});
