// Runs the engine, protocol and corpus tests with node's own test runner. Test files are TypeScript;
// esbuild compiles each one (with the engine code it imports) into out/, packages stay external.
// `node scripts/test.mjs hcl cfn` runs only the test files whose path contains one of the words.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'e2e') find(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
if (files.length === 0) {
  console.error('test: no test files matched');
  process.exit(1);
}
// A folder per run, so two test runs at the same time do not delete each other's files.
const outdir = join('out', `run-${process.pid}`);
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: files,
  outdir,
  outbase: '.',
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const compiled = files.map((f) => join(outdir, f.replace(/\.ts$/, '.js')));
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...compiled], { stdio: 'inherit' });
rmSync(outdir, { recursive: true, force: true });
process.exit(r.status ?? 1);
