// code-server and Chromium for the end-to-end tier, shared by the extension-host wrapper
// (scripts/e2e/vscode-in-code-server.mjs) and the browser checks (test/e2e/browser.test.mjs).
//
// code-server runs under Node 24 from .tools/, in a new session and process group (spawn `detached`, i.e.
// setsid), bound to 127.0.0.1 on a port the kernel picks, without auth, with a throwaway user-data dir,
// extensions dir and XDG_* dirs in one temp folder. It is stopped by signalling its whole process group
// (the launcher, the server, the extension host, file watchers, the language server), and the temp folder
// is removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, codeServerEntry, missingTools, nodeBin, TOOLS } from './tools.mjs';

const START_TIMEOUT_MS = 90_000;

/** Temp folder with the dirs a code-server (or a browser) would otherwise create under $HOME. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `pl-e2e-${prefix}-`));
  const xdg = {
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    XDG_RUNTIME_DIR: join(dir, 'xdg-runtime'),
  };
  for (const d of Object.values(xdg)) mkdirSync(d, { recursive: true, mode: 0o700 });
  return { dir, xdg };
}

function codeServerEnv(xdg, extra = {}) {
  const env = { ...process.env, ...xdg, ...extra };
  // $PORT would override the bind address's port; ELECTRON_RUN_AS_NODE is meaningless here.
  delete env.PORT;
  delete env.ELECTRON_RUN_AS_NODE;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** `code-server --install-extension <vsix>` into `extensionsDir` (the way a user installs the package). */
export function installExtension(vsix, extensionsDir, userDataDir) {
  const s = scratch('install');
  try {
    const r = spawnSync(
      nodeBin,
      [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', vsix],
      { encoding: 'utf8', env: codeServerEnv(s.xdg), timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    return `${r.stdout}${r.stderr}`.trim();
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
}

/**
 * Starts code-server and resolves once it listens. `vscodeOptions` are passed with --vscode-option
 * (e.g. enable-smoke-test-driver); `settings` become the throwaway profile's user settings; `logFile` gets
 * code-server's output and `logsTo` a copy of VS Code's log folder when it stops.
 */
export async function startCodeServer({ extensionsDir, userDataDir, settings = {}, vscodeOptions = [], env = {}, logFile, logsTo, log = () => {} } = {}) {
  const missing = missingTools();
  if (missing.length > 0) throw new Error(`code-server cannot be started: ${missing.join('; ')}`);
  const s = scratch('code-server');
  const userData = userDataDir ?? join(s.dir, 'user-data');
  const extensions = extensionsDir ?? join(s.dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const config = join(s.dir, 'config.yaml');
  // Port 0: the kernel picks a free one and code-server prints it; no race with another run.
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const args = [
    codeServerEntry,
    '--config', config,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...vscodeOptions.flatMap((o) => ['--vscode-option', o]),
  ];
  const child = spawn(nodeBin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: codeServerEnv(s.xdg, env), cwd: s.dir });
  const pgid = child.pid;
  const out = logFile ? createWriteStream(logFile) : undefined;
  let output = '';
  /** Resolves with code-server's exit code (or signal) when its launcher exits. */
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const onData = (d) => {
    const text = d.toString();
    output = (output + text).slice(-20_000);
    out?.write(text);
    for (const line of text.split('\n')) if (line.trim()) log(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(pgid);
    await Promise.race([exit, new Promise((r) => setTimeout(r, 2000))]);
    child.stdout.destroy();
    child.stderr.destroy();
    out?.end();
    // VS Code's own logs (server, extension host, the extension's output channel) are test artifacts.
    if (logsTo && existsSync(join(userData, 'logs'))) {
      rmSync(logsTo, { recursive: true, force: true });
      cpSync(join(userData, 'logs'), logsTo, { recursive: true });
    }
    rmSync(s.dir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start listening within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS);
      const check = () => {
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      void exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited (${code}) before listening:\n${output}`));
      });
      check();
    });
    return { url, pgid, userDataDir: userData, extensionsDir: extensions, stop, exit, output: () => output };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * SIGTERM to the process group, then SIGKILL to whatever of it is left after a grace period. Waits until
 * the group is empty (kill(-pgid, 0) fails with ESRCH): there is no event for that.
 */
export async function killGroup(pgid, graceMs = 5000) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      /* already gone */
    }
  };
  if (!alive()) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) {
    signal('SIGKILL');
    const hard = Date.now() + 5000;
    while (alive() && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
  }
  if (alive()) throw new Error(`process group ${pgid} survived SIGKILL`);
}

/** Debian's Chromium through playwright-core, headless, with a fresh profile and HOME-free caches. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const s = scratch('chromium');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, ...s.xdg, HOME: s.dir },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(s.dir, { recursive: true, force: true });
  };
  return { browser, close };
}

/**
 * Processes (pid, group, command line) that belong to the tier: anything run by the tools in .tools/ (code-server,
 * its extension host and the language server it forks all run on that Node), or from our temp dirs.
 */
export function leftoverProcesses() {
  const found = [];
  const r = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m || Number(m[1]) === process.pid) continue;
    if (m[3].includes(TOOLS) || /pl-e2e-(code-server|chromium)-/.test(m[3])) found.push(`${m[1]} (pgid ${m[2]}): ${m[3].slice(0, 200)}`);
  }
  return found;
}
