// Prepares the extension-host suite for @vscode/test-cli (called from .vscode-test.mjs, so `npx vscode-test`
// needs nothing else but a built extension):
//   - bundles test/e2e/suite/*.test.ts and test/e2e/preload.ts with esbuild into out/e2e/ (git-ignored),
//     `vscode` and `mocha` left to the extension host;
//   - copies examples/ into .vscode-test/workspace/ (git-ignored), the folder the tests open, so edits the
//     tests make never touch examples/.
import * as esbuild from 'esbuild';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './tools.mjs';

export const SUITE_OUT = join(ROOT, 'out', 'e2e');
export const WORKSPACE = join(ROOT, '.vscode-test', 'workspace');

export function prepareSuite() {
  const suiteDir = join(ROOT, 'test', 'e2e', 'suite');
  const tests = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(suiteDir, f));
  rmSync(SUITE_OUT, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: [...tests, join(ROOT, 'test', 'e2e', 'preload.ts')],
    outdir: SUITE_OUT,
    outbase: join(ROOT, 'test', 'e2e'),
    bundle: true,
    external: ['vscode', 'mocha'],
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  rmSync(WORKSPACE, { recursive: true, force: true });
  cpSync(join(ROOT, 'examples'), WORKSPACE, { recursive: true });
  // `files` is a glob relative to the folder of .vscode-test.mjs (the repository root).
  return { files: 'out/e2e/suite/**/*.test.js', preload: join(SUITE_OUT, 'preload.js'), workspace: WORKSPACE };
}
