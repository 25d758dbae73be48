/**
 * Loaded by @vscode/test-cli's runner in the extension host before the tests (mocha `preload`). Under
 * code-server (PL_E2E_LOG_MARKER set by scripts/e2e/vscode-in-code-server.mjs), the extension host's
 * console reaches the test process only through the workbench's log, mixed with the workbench's own
 * lines and with format arguments left unformatted. So mocha's reporter output is formatted here and
 * marked, and the wrapper prints the marked lines. On desktop VS Code this does nothing: the console
 * goes to stdout there.
 */
import { format } from 'node:util';

const marker = process.env.PL_E2E_LOG_MARKER;
if (marker) {
  // The very mocha module the runner uses (test-cli resolves `mocha` from the project, as this does).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mocha = require('mocha') as { reporters: { Base: { consoleLog: (...args: unknown[]) => void } } };
  const log = console.log.bind(console);
  mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) log(`${marker}${line}`);
  };
}
