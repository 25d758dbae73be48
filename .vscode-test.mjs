// @vscode/test-cli configuration for the extension-host tests (test/e2e/suite/, mocha + the `vscode` API).
//
// Here, where desktop VS Code cannot be downloaded, "VS Code" is scripts/e2e/vscode-in-code-server.mjs: it
// takes the same command line (--extensionDevelopmentPath, --extensionTestsPath, folder) and runs the tests
// in code-server's real Node extension host, driven by headless Chromium. Install code-server and Chromium
// with `node scripts/e2e/install.mjs`; `npm run test:e2e` does that, builds, and runs this.
//
// Elsewhere, PL_E2E_DESKTOP=1 npx vscode-test runs the very same files on desktop VS Code, which
// @vscode/test-electron downloads (PL_E2E_VSCODE_VERSION picks the version, default stable).
//
// Needs a built extension (dist/, `npm run build`): the extension under test is this folder.
import { defineConfig } from '@vscode/test-cli';
import { fileURLToPath } from 'node:url';
import { prepareSuite } from './scripts/e2e/suite.mjs';

const { files, preload, workspace } = prepareSuite();
const desktop = process.env.PL_E2E_DESKTOP === '1';

export default defineConfig({
  label: desktop ? 'desktop VS Code' : 'code-server',
  files,
  workspaceFolder: workspace,
  extensionDevelopmentPath: fileURLToPath(new URL('.', import.meta.url)),
  // Only the extension under development runs: no built-in extension competes for activation or CPU.
  launchArgs: ['--disable-extensions'],
  ...(desktop
    ? { version: process.env.PL_E2E_VSCODE_VERSION || 'stable' }
    : { useInstallation: { fromPath: fileURLToPath(new URL('./scripts/e2e/vscode-in-code-server.mjs', import.meta.url)) } }),
  mocha: {
    ui: 'tdd',
    timeout: 60_000,
    preload: [preload],
  },
});
