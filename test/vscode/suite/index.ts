// The test module VS Code's extension host loads (extensionTestsPath), under
// code-server (test/vscode/code-server.test.ts) and under desktop VS Code
// (test/vscode/run-desktop.ts) alike. run() resolves when every test passed.
import * as path from "node:path";
import Mocha from "mocha";

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", color: false, timeout: 60_000 });
  for (const file of ["extension.e2e.js", "demo.e2e.js", "task-inspector.e2e.js"]) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures === 0 ? resolve() : reject(new Error(`${failures} VS Code test(s) failed`))));
  });
}
