// Builds every bundle with esbuild: the extension client, the language server, the CLI, the webview page
// and the benchmark. Entry points that do not exist yet are skipped with a note, never silently.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const prod = process.argv.includes('--production');

// `module` first: jsonc-parser's UMD `main` loads its parts with a dynamic require that a bundle cannot follow.
const node = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: !prod, minify: prod, logLevel: 'warning', mainFields: ['module', 'main'] };
const targets = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], ...node },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', ...node },
  // The worker threads that read and parse files for the server while it indexes (see readerPool.ts).
  { entryPoints: ['server/src/workspace/readerWorker.ts'], outfile: 'dist/reader.js', ...node },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, ...node },
  { entryPoints: ['scripts/bench.ts'], outfile: 'dist/bench.js', ...node, external: ['@cdktf/hcl2json'] },
  {
    entryPoints: ['client/src/webview/page.ts'],
    outfile: 'dist/webview/webview.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    sourcemap: false,
    minify: prod,
    logLevel: 'warning',
  },
];

// dist/ is not emptied first: another process (a test run, the benchmark) may be using a bundle, and
// esbuild rewrites each bundle whole. Only the files listed above are packaged.
mkdirSync('dist', { recursive: true });
const started = Date.now();
for (const t of targets) {
  const entry = t.entryPoints[0];
  if (!existsSync(entry)) {
    console.log(`build: skipped ${t.outfile} (${entry} does not exist yet)`);
    continue;
  }
  if (watch) {
    const ctx = await esbuild.context(t);
    await ctx.watch();
  } else {
    await esbuild.build(t);
  }
}
console.log(`build: ${watch ? 'watching' : 'done'} in ${Date.now() - started} ms`);
