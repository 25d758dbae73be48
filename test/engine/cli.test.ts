import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import Ajv from 'ajv-draft-04';

/**
 * The command line as a user runs it: the bundled dist/cli.js (`npm test` builds it first) over files on
 * disk, checked through its exit codes and each output format.
 */
const CLI = resolve('dist/cli.js');

function run(args: string[], cwd = process.cwd()) {
  assert.ok(existsSync(CLI), `${CLI} is missing: run node scripts/build.mjs first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-cli-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

test('check over the examples: text format, findings as "PL0xx severity file:line", paths, exit codes', () => {
  const r = run(['check', 'examples']);
  assert.equal(r.code, 1, 'errors reach the default --fail-on error');
  assert.match(r.stdout, /^PL002 error examples\/terraform\/consumer\/main\.tf:\d+:\d+ Endpoint security group/m);
  assert.match(r.stdout, /^PL001 error examples\/cloudformation\/consumer\.yaml:\d+:\d+ /m);
  assert.match(r.stdout, /PrivateLink paths \(\d+\):/);
  assert.match(r.stdout, /endpointSg +BLOCKED +aws_security_group\.endpoint/);
  assert.equal(run(['check', 'examples', '--fail-on', 'none']).code, 0);
});

test('JSON output: version 1, 0-based LSP ranges, fixes, and paths with hop locations', () => {
  const r = run(['check', 'examples', '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.version, 1);
  assert.ok(j.stats.files >= 4);
  const pl002 = j.findings.find((f: { ruleId: string }) => f.ruleId === 'PL002');
  assert.equal(pl002.file, 'examples/terraform/consumer/main.tf');
  const lines = readFileSync('examples/terraform/consumer/main.tf', 'utf8').split('\n');
  assert.equal(lines[pl002.range.start.line].slice(pl002.range.start.character, pl002.range.end.character), '"aws_security_group" "endpoint"');
  assert.ok(pl002.fixes[0].edits[0].newText.includes('aws_vpc_security_group_ingress_rule'));
  const path = j.paths.find((p: { hops: { kind: string }[] }) => p.hops[0].kind === 'client');
  assert.deepEqual(
    path.hops.map((h: { kind: string }) => h.kind),
    ['client', 'clientSg', 'endpointSg', 'endpoint', 'endpointService', 'nlbSg', 'nlb', 'listener', 'targetGroup', 'targetSg', 'target'],
  );
  assert.ok(path.hops.every((h: { location?: { file: string } }) => h.location && typeof h.location.file === 'string'));
});

test('SARIF output validates against the SARIF 2.1.0 schema, with code flows for path findings', () => {
  const r = run(['check', 'examples', '--format', 'sarif', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout);
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // The schema's language-tag pattern is not valid under the u flag, so patterns compile without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(log as object), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  const results = log.runs[0].results;
  const pl002 = results.find((x: { ruleId: string }) => x.ruleId === 'PL002');
  assert.equal(pl002.level, 'error');
  assert.ok(pl002.codeFlows?.[0].threadFlows[0].locations.length >= 5);
  assert.ok(pl002.fixes?.length >= 1);
  assert.ok(log.runs[0].tool.driver.rules.some((x: { id: string; helpUri: string }) => x.id === 'PL002' && x.helpUri.endsWith('PL002.md')));
  // The schema check is not vacuous: a result without a message fails it.
  delete pl002.message;
  assert.equal(validate(log as object), false);
});

test('graph output as Mermaid and DOT; a name from the files cannot break out of a label', () => {
  const dir = workspace({
    'main.tf': `
resource "aws_lb" "evil" {
  load_balancer_type = "network"
}
resource "aws_vpc_endpoint_service" "s" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.evil.arn]
}`,
  });
  try {
    const m = run(['graph', dir, '--format', 'mermaid']);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /^flowchart LR/);
    assert.match(m.stdout, /aws_lb\.evil/);
    const d = run(['graph', dir, '--format', 'dot']);
    assert.match(d.stdout, /^digraph privatelink \{/);
    assert.match(d.stdout, /->/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2 with a message; --fail-on warning counts warnings; --config is read', () => {
  const bad = run(['check', '--format', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format for check takes text, json, sarif/);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['check', 'no/such/dir']).code, 2);
  const dir = workspace({
    'main.tf': `
resource "aws_lb" "n" {
  load_balancer_type = "network"
}
resource "aws_vpc_endpoint_service" "s" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.n.arn]
}`,
    'off.json': JSON.stringify({ 'privatelinkLens.rules': { PL014: 'off', PL020: 'off' } }),
  });
  try {
    assert.equal(run(['check', join(dir, 'main.tf')]).code, 0, 'warnings only: below the default threshold');
    assert.equal(run(['check', join(dir, 'main.tf'), '--fail-on', 'warning']).code, 1);
    const withConfig = run(['check', join(dir, 'main.tf'), '--fail-on', 'warning', '--config', join(dir, 'off.json')]);
    assert.equal(withConfig.code, 0, withConfig.stdout);
    assert.equal(run(['check', dir, '--config', join(dir, 'missing.json')]).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI reads the whole corpus without a crash (exit 0 or 1, never 2)', { skip: existsSync(resolve('../shared/corpus')) ? false : 'corpus not found at ../shared/corpus' }, () => {
  const r = spawnSync(process.execPath, [CLI, 'check', '../shared/corpus', '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr.slice(0, 2000)}`);
  const j = JSON.parse(r.stdout);
  assert.ok(j.stats.files > 2000, `${j.stats.files} files analysed`);
  assert.ok(j.findings.some((f: { ruleId: string }) => f.ruleId === 'parse-error'), 'the deliberately broken files give parse errors');
});
