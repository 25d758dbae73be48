// Packages the extension into privatelink-lens-<version>.vsix at the repository root with @vscode/vsce's
// Node API. It never builds (run scripts/build.mjs first; `npm start` does both) and never touches the
// network: esbuild has already bundled every dependency, so vsce is told not to look at node_modules.
// Before packaging it checks what vsce would otherwise only ask about interactively (and hang on without a
// terminal); afterwards it reads the .vsix back and fails unless the bundles are in it and node_modules is not.
import { createVSIX } from '@vscode/vsce';
import { existsSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const BUNDLES = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/webview/webview.js'];
const REQUIRED = [...BUNDLES, 'LICENSE', 'language-configuration.json', ...grammarPaths(manifest)];

function grammarPaths(m) {
  return [...new Set((m.contributes?.grammars ?? []).map((g) => g.path.replace(/^\.\//, '')))];
}

function fail(lines) {
  console.error(['package: cannot package the extension.', ...lines].join('\n'));
  process.exit(1);
}

const missing = REQUIRED.filter((f) => !existsSync(join(root, f)));
if (missing.length > 0) {
  const bundles = missing.filter((f) => BUNDLES.includes(f));
  fail([
    ...missing.map((f) => `  missing: ${f}`),
    bundles.length > 0
      ? '  Run `node scripts/build.mjs` first; a bundle whose entry point does not exist yet is skipped by the build (see its output).'
      : '',
  ].filter(Boolean));
}
if (!manifest.repository) fail(['  package.json has no "repository" field (vsce would stop and ask).']);
if (manifest.scripts?.['vscode:prepublish']) {
  fail(['  package.json has a "vscode:prepublish" script; packaging must not rebuild (build first, then package).']);
}
if (!existsSync(join(root, 'README.md'))) console.warn('package: note: README.md is missing; the Marketplace page will be empty.');

const packagePath = join(root, `${manifest.name}-${manifest.version}.vsix`);
rmSync(packagePath, { force: true });
try {
  // Relative links in README.md stay relative: rewriting them needs a GitHub/GitLab repository URL, and a
  // .vsix built here is for installing (code-server tests, side-loading), not for the Marketplace page.
  await createVSIX({ cwd: root, packagePath, dependencies: false, rewriteRelativeLinks: false });
} catch (err) {
  fail([`  vsce: ${err instanceof Error ? err.message : String(err)}`]);
}

const entries = zipEntries(readFileSync(packagePath));
const problems = [
  ...BUNDLES.filter((b) => !entries.includes(`extension/${b}`)).map((b) => `  the package lacks ${b}`),
  ...entries.filter((e) => e.includes('node_modules/')).slice(0, 5).map((e) => `  the package contains ${e}`),
  ...entries.filter((e) => e.endsWith('.map') || e.endsWith('.ts')).slice(0, 5).map((e) => `  the package contains a source file: ${e}`),
];
if (problems.length > 0) fail([`  ${packagePath}:`, ...problems, '  Check .vscodeignore (an allow-list).']);

const size = statSync(packagePath).size;
console.log(`package: ${packagePath} (${(size / 1024).toFixed(1)} KiB, ${entries.length} entries)`);
for (const e of entries) console.log(`  ${e}`);

/** The file names in a zip archive, read from its central directory (enough for a .vsix, which is never zip64). */
function zipEntries(buf) {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail([`  ${packagePath} is not a zip archive`]);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
