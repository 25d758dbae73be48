#!/usr/bin/env node
// A stand-in for the VS Code executable, for @vscode/test-cli and @vscode/test-electron
// (`useInstallation: { fromPath }` in .vscode-test.mjs). They spawn "VS Code" with
//   --extensionDevelopmentPath=<dir> --extensionTestsPath=<runner> [options...] [folder]
// and read its exit code. This runs the same thing in code-server (the VS Code web build with the real
// Node extension host), which is what can be had on machines where desktop VS Code cannot be downloaded:
//   1. start code-server on loopback with the smoke-test driver enabled (scripts/e2e/codeServer.mjs);
//   2. open /?folder=<folder>&payload=[[extensionDevelopmentPath, ...], [extensionTestsPath, ...]] in
//      headless Chromium, which makes the workbench run the tests in the extension host;
//   3. the workbench reports the extension host's exit code through window.codeAutomationExit (and its
//      log lines through codeAutomationLog), exposed here with page.exposeFunction;
//   4. stop Chromium and code-server's process group, and exit with that code.
// The environment (VSCODE_TEST_OPTIONS from test-cli: the mocha options and test files) reaches the
// extension host through code-server's environment. Options meant for desktop VS Code (--no-sandbox,
// --user-data-dir, ...) are ignored: every run gets throwaway profile dirs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { launchChromium, startCodeServer } from './codeServer.mjs';
import { missingTools, RESULTS } from './tools.mjs';

const MARKER = '\u2063[e2e] ';
const RUN_TIMEOUT_MS = Number(process.env.PL_E2E_HOST_TIMEOUT_MS || 10 * 60_000);

function parseArgs(argv) {
  const developmentPaths = [];
  let testsPath;
  const folders = [];
  const passThrough = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') developmentPaths.push(resolve(value()));
    else if (flag === '--extensionTestsPath') testsPath = resolve(value());
    else if (flag === '--folder-uri') folders.push(new URL(value()).pathname);
    // VS Code options with the same meaning for the server's extension host
    else if (flag === '--disable-extensions') passThrough.push('disable-extensions');
    else if (flag === '--disable-extension') passThrough.push(`disable-extension=${value()}`);
    else if (!a.startsWith('-')) folders.push(resolve(a));
    // every other option is for desktop VS Code and has no meaning here
  }
  return { developmentPaths, testsPath, folder: folders[0], passThrough };
}

const say = (m) => process.stdout.write(`[code-server host] ${m}\n`);

async function main() {
  const { developmentPaths, testsPath, folder, passThrough } = parseArgs(process.argv.slice(2));
  if (!testsPath || developmentPaths.length === 0) {
    console.error('usage: vscode-in-code-server.mjs --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> [folder]');
    return 2;
  }
  const missing = missingTools();
  if (missing.length > 0) {
    // Asked to run tests and cannot: that is a failure, never a silent pass. Skipping is run.mjs's call.
    console.error(`[code-server host] cannot run the extension-host tests: ${missing.join('; ')}`);
    return 1;
  }
  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const server = await startCodeServer({
    vscodeOptions: ['enable-smoke-test-driver', ...passThrough],
    // test/e2e/preload.ts marks the lines of mocha's report with this, to tell them from the workbench's log.
    env: { PL_E2E_LOG_MARKER: MARKER },
    logFile: join(RESULTS, 'code-server-extension-host.log'),
    logsTo: join(RESULTS, 'vscode-logs-extension-host'),
    settings: {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.ignoreRecommendations': true,
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'update.mode': 'none',
      // Nothing here can sign in or reach a model: keep the chat and agent machinery from trying.
      'chat.disableAIFeatures': true,
    },
  });
  say(`code-server listening on ${server.url} (process group ${server.pgid}) after ${Date.now() - started} ms`);
  let chromium;
  const cleanup = async () => {
    await chromium?.close();
    await server.stop();
  };
  const onSignal = (sig) => {
    say(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    chromium = await launchChromium();
    const page = await chromium.browser.newPage();
    let resolveExit;
    const exitCode = new Promise((resolve) => (resolveExit = resolve));
    // Called by the workbench when the extension host has run the tests and exited: its code and the
    // window's log files.
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      for (const log of Array.isArray(logs) ? logs : []) {
        if (!log || typeof log.relativePath !== 'string') continue;
        const file = join(RESULTS, 'extension-host-logs', log.relativePath.replace(/\.\.+/g, '_'));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, typeof log.contents === 'string' ? log.contents : Buffer.from(log.contents ?? []));
      }
      resolveExit(typeof code === 'number' ? code : 1);
    });
    // The workbench's log, with the extension host's console in it: mocha's report (marked lines) is
    // printed as it comes; the rest is kept and printed only if the run fails.
    const workbenchLog = [];
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = String(message);
      if (text.startsWith(MARKER)) process.stdout.write(`${text.slice(MARKER.length)}\n`);
      else {
        workbenchLog.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${level}: ${text}`);
        if (process.env.PL_E2E_VERBOSE) say(workbenchLog.at(-1));
      }
    });
    page.on('pageerror', (e) => say(`page error: ${e.message}`));
    const remote = (p) => `vscode-remote://${new URL(server.url).host}${p}`;
    const payload = [
      ...developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(testsPath)],
    ];
    const query = new URLSearchParams();
    if (folder) query.set('folder', folder);
    query.set('payload', JSON.stringify(payload));
    await page.goto(`${server.url}/?${query}`);
    say(`workbench opened${folder ? ` on ${folder}` : ''}; the tests run in the extension host`);
    let timer;
    const timeout = new Promise((resolveTimeout) => {
      timer = setTimeout(() => {
        say(`no exit code from the extension host after ${RUN_TIMEOUT_MS / 1000} s`);
        resolveTimeout(124);
      }, RUN_TIMEOUT_MS);
    });
    let finished = false;
    const serverDied = server.exit.then((c) => {
      if (!finished) say(`code-server exited (${c}) before the tests finished`);
      return 1;
    });
    const code = await Promise.race([exitCode, timeout, serverDied]);
    finished = true;
    clearTimeout(timer);
    if (code !== 0) {
      await page.screenshot({ path: join(RESULTS, 'extension-host-failure.png') }).catch(() => {});
      say(`the run failed; the workbench log (errors and warnings):\n${workbenchLog.filter((l) => /^\S+ (error|warn)/.test(l)).join('\n')}`);
      say(`screenshot: ${join(RESULTS, 'extension-host-failure.png')}; code-server's log: ${join(RESULTS, 'code-server-extension-host.log')}`);
    }
    say(`extension host exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[code-server host] ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
