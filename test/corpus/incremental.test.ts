import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Analyzer, DEFAULT_SETTINGS, isCandidateFile, normalizeSettings, type AnalysisResult } from '../../server/src/engine';

/**
 * The whole corpus (real Terraform and CloudFormation, with modules, imports and exports) analysed per
 * component gives what one graph of the whole workspace gives; and after editing files in a few roots and
 * templates, the incremental analysis still does. See test/engine/incremental.test.ts for the small cases.
 */
const CORPUS = process.env.PRIVATELINK_LENS_CORPUS ? resolve(process.env.PRIVATELINK_LENS_CORPUS) : resolve(process.cwd(), '../shared/corpus');
const skip = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}`;
if (skip) console.log(`# skipping corpus equivalence: ${skip}`);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '.terraform' && name !== 'node_modules' && name !== '.git') walk(p, out);
    } else if (isCandidateFile(p)) out.push(p);
  }
  return out;
}

function canonical(r: AnalysisResult) {
  const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
  return { findings: sorted(r.findings), paths: sorted(r.paths), resources: r.resources.map((x) => x.key), groups: sorted(r.securityGroups) };
}

test('the corpus analyses the same per component as in one graph, before and after edits', { skip }, () => {
  const files = new Map<string, string>();
  for (const f of walk(CORPUS)) files.set(f, readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
  const settings = normalizeSettings(DEFAULT_SETTINGS);
  const run = (partition: boolean) => {
    const a = new Analyzer({ partition });
    for (const [f, t] of files) a.setFile(f, t);
    return a;
  };
  const parted = run(true);
  const whole = run(false);
  assert.deepEqual(canonical(parted.analyze(settings)), canonical(whole.analyze(settings)));
  assert.ok(parted.timings()!.components > 100, 'the corpus falls into many components');

  // Edit a few Terraform files and templates in place (ports, names), in both analyzers.
  const edited = [...files.keys()].filter((f) => /\.(tf|ya?ml)$/.test(f) && /from_port|FromPort|Export/.test(files.get(f)!)).slice(0, 12);
  assert.ok(edited.length > 0);
  for (const f of edited) {
    const t = files.get(f)!.replace(/(from_port\s*=\s*)(\d+)/, (_, a: string, n: string) => `${a}${Number(n) + 1}`).replace(/(FromPort:\s*)(\d+)/, (_, a: string, n: string) => `${a}${Number(n) + 1}`).replace(/(Export:\s*\n\s*Name:\s*)(\S+)/, '$1$2-x');
    files.set(f, t);
    parted.setFile(f, t);
    whole.setFile(f, t);
  }
  const after = parted.analyze(settings);
  assert.ok(parted.timings()!.rootsResolved < parted.timings()!.roots, 'the edit resolved a part of the corpus again');
  assert.deepEqual(canonical(after), canonical(whole.analyze(settings)));
  assert.deepEqual(canonical(after), canonical(run(false).analyze(settings)));
});
