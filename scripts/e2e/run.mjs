#!/usr/bin/env node
// Runs the end-to-end tier's tests (after scripts/e2e/install.mjs, the build and the package; see
// `npm run test:e2e`), each part timed:
//   1. type-check test/e2e (mocha globals + the vscode API: test/e2e/tsconfig.json);
//   2. the extension-host suite with @vscode/test-cli (`vscode-test`, .vscode-test.mjs): here in code-server;
//   3. the browser checks (node --test test/e2e/browser.test.mjs): the installed .vsix in code-server, in Chromium;
//   4. no process of the tier may be left running.
// When code-server, Chromium or the .vsix is missing, the parts that need it are skipped with the reason
// printed; with CI set that is a failure instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { leftoverProcesses } from './codeServer.mjs';
import { inCI, missingTools, RESULTS, ROOT, VSIX } from './tools.mjs';

const started = Date.now();
const results = [];
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function part(name, cmd, args) {
  console.log(`\ntest:e2e: ${name}: ${[cmd, ...args].join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  results.push({ name, outcome: ok ? 'passed' : `FAILED (${r.error?.message ?? r.status ?? r.signal})`, ms: Date.now() - t0, ok });
  return ok;
}

function skip(name, reason) {
  results.push({ name, outcome: `${inCI() ? 'FAILED: may not skip in CI' : 'SKIPPED'}: ${reason}`, ms: 0, ok: !inCI(), skipped: !inCI() });
}

rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

part('type-check test/e2e', process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'test/e2e', '--noEmit']);

const missing = missingTools();
if (missing.length > 0) {
  skip('extension-host suite (vscode-test)', missing.join('; '));
} else {
  part('extension-host suite (vscode-test)', process.execPath, [join(ROOT, 'node_modules', '@vscode', 'test-cli', 'out', 'bin.mjs')]);
}

const missingForBrowser = [...missing, ...(existsSync(VSIX) ? [] : [`${VSIX} does not exist (npm run build && npm run package)`])];
if (missingForBrowser.length > 0) {
  skip('browser checks (playwright-core + Chromium)', missingForBrowser.join('; '));
} else {
  part('browser checks (playwright-core + Chromium)', process.execPath, ['--test', '--test-reporter=spec', 'test/e2e/browser.test.mjs']);
}

const left = leftoverProcesses();
results.push({ name: 'no processes left behind', outcome: left.length === 0 ? 'passed' : `FAILED:\n    ${left.join('\n    ')}`, ms: 0, ok: left.length === 0 });

console.log(`\ntest:e2e: summary (${secs(Date.now() - started)} for the tests; artifacts in ${RESULTS})`);
for (const r of results) console.log(`  ${r.skipped ? 'SKIP' : r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.outcome}${r.ms ? ` (${secs(r.ms)})` : ''}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
