/**
 * The server's pure helpers, tested directly: the exclude glob matcher, the settings merge across folders,
 * combining fixes for "fix all", the CodeLens title.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, normalizeSettings, type Finding, type Fix } from '../../server/src/engine';
import { combineFixes } from '../../server/src/lsp/codeAction';
import { lensTitle } from '../../server/src/lsp/codeLens';
import { Excluder, globToRegExp } from '../../server/src/workspace/glob';
import { applyFolderRules, mergeSettings } from '../../server/src/workspace/settings';

test('globs: **, *, ?, braces, bare names at any depth, directories exclude their contents', () => {
  const m = (glob: string, path: string) => globToRegExp(glob).test(path);
  assert.ok(m('**/*.tf', 'a.tf'));
  assert.ok(m('**/*.tf', 'x/y/a.tf'));
  assert.ok(!m('**/*.tf', 'x/a.tf.json'));
  assert.ok(m('envs/*/main.tf', 'envs/prod/main.tf'));
  assert.ok(!m('envs/*/main.tf', 'envs/prod/x/main.tf'));
  assert.ok(m('envs/**/main.tf', 'envs/main.tf'));
  assert.ok(m('envs/**/main.tf', 'envs/a/b/main.tf'));
  assert.ok(m('file?.yaml', 'file1.yaml'));
  assert.ok(!m('file?.yaml', 'file/.yaml'));
  assert.ok(m('*.{yml,yaml}', 'deep/stack.yml'));
  assert.ok(m('legacy', 'modules/legacy'));
  assert.ok(m('generated/**', 'generated'));
  assert.ok(m('/top.tf', 'top.tf'));
  assert.ok(!m('/top.tf', 'sub/top.tf'));
  assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'), 'dots are literal');

  const ex = new Excluder(['generated/**', 'legacy']);
  assert.ok(ex.excludesDirectory('generated'));
  assert.ok(ex.excludesDirectory('x/.terraform'));
  assert.ok(ex.excludesFile('a/node_modules/b/main.tf'));
  assert.ok(ex.excludesFile('modules/legacy/main.tf'));
  assert.ok(!ex.excludesFile('modules/current/main.tf'));
});

test('settings: rules reach the engine only when all folders agree; each folder applies its own', () => {
  const a = { path: '/ws/a', settings: normalizeSettings({ rules: { PL002: 'off', PL031: 'info' }, links: [{ endpoint: 'main.tf#aws_vpc_endpoint.x', service: '../b/svc.tf#aws_vpc_endpoint_service.s' }] }) };
  const b = { path: '/ws/b', settings: normalizeSettings({ rules: { PL031: 'info' }, debounceMs: 50 }) };
  const merged = mergeSettings([a, b]);
  assert.deepEqual(merged.rules, { PL031: 'info' });
  assert.equal(merged.debounceMs, 50);
  assert.deepEqual(merged.links, [{ endpoint: '/ws/a/main.tf#aws_vpc_endpoint.x', service: '/ws/b/svc.tf#aws_vpc_endpoint_service.s' }]);
  assert.deepEqual(mergeSettings([]), { ...DEFAULT_SETTINGS, exclude: [] });

  const finding = (file: string, ruleId = 'PL002'): Finding => ({ ruleId, severity: 'error', message: '', location: { file, span: { start: 0, end: 0 } }, related: [], fixes: [] });
  const folderOf = (f: string) => [a, b].find((x) => f.startsWith(`${x.path}/`));
  const out = applyFolderRules([finding('/ws/a/main.tf'), finding('/ws/b/main.tf'), finding('/ws/a/x.tf', 'parse-error'), finding('/ws/b/y.tf', 'PL031')], folderOf);
  assert.deepEqual(
    out.map((f) => [f.location.file, f.ruleId, f.severity]),
    [
      ['/ws/b/main.tf', 'PL002', 'error'],
      ['/ws/a/x.tf', 'parse-error', 'error'],
      ['/ws/b/y.tf', 'PL031', 'info'],
    ],
  );
});

test('fix all: colliding fixes are left out whole, duplicates applied once, insertions at one point kept', () => {
  const fix = (...edits: [number, number, string][]): Fix => ({ title: '', preferred: true, edits: edits.map(([start, end, newText]) => ({ file: '/f.tf', span: { start, end }, newText })) });
  const edits = combineFixes([fix([10, 20, 'a']), fix([15, 25, 'b'], [40, 40, 'never']), fix([30, 30, 'c']), fix([30, 30, 'd']), fix([10, 20, 'a'], [50, 50, 'e']), fix([12, 12, 'inside'])]);
  assert.deepEqual(
    edits.map((e) => e.newText),
    ['a', 'c', 'd', 'e'],
  );
});

test('CodeLens titles leave out zero counts', () => {
  assert.equal(lensTitle({ open: 2, blocked: 1, unknown: 1 }), 'PrivateLink: 2 paths open · 1 blocked · 1 unknown');
  assert.equal(lensTitle({ open: 0, blocked: 1, unknown: 0 }), 'PrivateLink: 1 path blocked');
  assert.equal(lensTitle({ open: 0, blocked: 0, unknown: 3 }), 'PrivateLink: 3 paths unknown');
});
