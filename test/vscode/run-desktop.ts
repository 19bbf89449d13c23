// The same test module as code-server.test.ts, in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code from
// Microsoft's update server (these CI machines cannot, hence code-server there).
// Usage: npm run test:desktop [-- <VS Code version>]
import { runTests } from "@vscode/test-electron";
import { ROOT, TESTS_PATH, prepareExtensionAndWorkspace } from "./prepare";

async function main(): Promise<number> {
  const workspace = prepareExtensionAndWorkspace();
  return runTests({
    version: process.argv[2] ?? "stable",
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: TESTS_PATH,
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome"],
  });
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`VS Code desktop tests did not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
