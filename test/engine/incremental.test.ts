import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Analyzer, DEFAULT_SETTINGS, normalizeSettings, parseFile, type AnalysisResult, type Settings } from '../../server/src/engine';
import { generateWorkspace } from '../../scripts/benchWorkspace';

/**
 * The analyzer is incremental (a root module is resolved again only when a file it reads changed; the
 * graph, paths and rules are evaluated per component and reused when nothing in the component changed).
 * These tests hold it to its promise: whatever happened before, an analysis equals a fresh, whole-workspace
 * analysis of the same files.
 */

type Files = Record<string, string>;

/** Everything an analysis says, in a form two analyses can be compared by (order aside). */
function canonical(r: AnalysisResult): { findings: string[]; paths: string[]; resources: string[]; groups: string[] } {
  const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    findings: sorted(r.findings),
    paths: sorted(r.paths),
    resources: r.resources.map((x) => JSON.stringify(x)),
    groups: sorted(r.securityGroups),
  };
}

function fresh(files: Files, settings: Settings, partition: boolean): AnalysisResult {
  const a = new Analyzer({ partition });
  for (const [f, t] of Object.entries(files)) a.setFile(f, t);
  return a.analyze(settings);
}

function assertSame(actual: AnalysisResult, expected: AnalysisResult, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  assert.deepEqual(a.resources, e.resources, `${what}: resources`);
  assert.deepEqual(a.findings, e.findings, `${what}: findings`);
  assert.deepEqual(a.paths, e.paths, `${what}: paths`);
  assert.deepEqual(a.groups, e.groups, `${what}: security groups`);
}

/** The analysis of `files` by `a` equals fresh analyses of the files, partitioned and whole. */
function assertEquivalent(a: Analyzer, files: Files, settings: Settings, what: string): AnalysisResult {
  const r = a.analyze(settings);
  const whole = fresh(files, settings, false);
  assertSame(r, whole, `${what} (incremental vs whole workspace)`);
  assertSame(fresh(files, settings, true), whole, `${what} (partitioned vs whole workspace)`);
  return r;
}

function readTree(root: string, prefix: string): Files {
  const out: Files = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[`${prefix}/${p.slice(root.length + 1)}`] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

const settings = normalizeSettings(DEFAULT_SETTINGS);

test('examples: partitioned, incremental and whole-workspace analyses agree, through edits of every kind', () => {
  const files = readTree(resolve('examples'), '/ex');
  const a = new Analyzer();
  for (const [f, t] of Object.entries(files)) a.setFile(f, t);
  assertEquivalent(a, files, settings, 'initial');
  const consumer = '/ex/terraform/consumer/main.tf';
  const provider = '/ex/terraform/provider/main.tf';
  const edits: [string, (fs: Files) => void][] = [
    ['a port in the consumer', (fs) => (fs[consumer] = fs[consumer].replace('from_port       = 443', 'from_port       = 444'))],
    ['the port back', (fs) => (fs[consumer] = fs[consumer].replace('from_port       = 444', 'from_port       = 443'))],
    ['a new file in the provider root', (fs) => (fs['/ex/terraform/provider/extra.tf'] = 'resource "aws_security_group" "extra" {\n  vpc_id = aws_vpc.provider.id\n}\n')],
    ['the provider service removed', (fs) => (fs[provider] = fs[provider].replace(/resource "aws_vpc_endpoint_service" "api" \{[\s\S]*?\n\}\n/, ''))],
    ['a syntax error', (fs) => (fs[consumer] = fs[consumer].replace('vpc_id      = aws_vpc.consumer.id', 'vpc_id      = = aws_vpc.consumer.id'))],
    ['the file deleted', (fs) => delete fs['/ex/terraform/provider/extra.tf']],
    ['a CloudFormation export renamed', (fs) => (fs['/ex/cloudformation/provider.yaml'] = fs['/ex/cloudformation/provider.yaml'].replace(/Name: !Sub "\$\{AWS::StackName\}-/g, 'Name: !Sub "${AWS::StackName}-renamed-'))],
  ];
  for (const [what, edit] of edits) {
    const before = { ...files };
    edit(files);
    for (const f of Object.keys(before)) if (!(f in files)) a.removeFile(f);
    for (const [f, t] of Object.entries(files)) a.setFile(f, t);
    assertEquivalent(a, files, settings, what);
  }
});

test('rule fixtures: every case analyses the same partitioned and whole', () => {
  const root = resolve('test/fixtures/rules');
  if (!existsSync(root)) return;
  let cases = 0;
  for (const rule of readdirSync(root).sort()) {
    for (const c of readdirSync(join(root, rule)).sort()) {
      const p = join(root, rule, c);
      const files = statSync(p).isDirectory() ? readTree(p, `/fx/${rule}/${c}`) : { [`/fx/${rule}/${c}`]: readFileSync(p, 'utf8') };
      assertSame(fresh(files, settings, true), fresh(files, settings, false), `${rule}/${c}`);
      cases++;
    }
  }
  assert.ok(cases > 0);
});

test('declared links and link settings keep linked roots in one component', () => {
  const files: Files = {
    '/ws/provider/main.tf': [
      'resource "aws_lb" "api" {',
      '  load_balancer_type = "network"',
      '  internal           = true',
      '  subnets            = ["subnet-1"]',
      '}',
      'resource "aws_lb_listener" "api" {',
      '  load_balancer_arn = aws_lb.api.arn',
      '  port              = 443',
      '  protocol          = "TCP"',
      '}',
      'resource "aws_vpc_endpoint_service" "api" {',
      '  acceptance_required        = true',
      '  network_load_balancer_arns = [aws_lb.api.arn]',
      '}',
    ].join('\n'),
    // Another service at the same address, in a folder the link's path does not name.
    '/ws/other/main.tf': 'resource "aws_vpc_endpoint_service" "api" {\n  acceptance_required = false\n}\n',
    '/ws/consumer/main.tf': [
      'resource "aws_security_group" "client" {',
      '  egress {',
      '    from_port   = 443',
      '    to_port     = 443',
      '    protocol    = "tcp"',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
      '}',
      '# privatelink-lens: uses aws_vpc_endpoint.api',
      'resource "aws_instance" "client" {',
      '  vpc_security_group_ids = [aws_security_group.client.id]',
      '}',
      '# privatelink-lens: service = ../provider/main.tf#aws_vpc_endpoint_service.api',
      'resource "aws_vpc_endpoint" "api" {',
      '  vpc_endpoint_type = "Interface"',
      '  service_name      = var.name',
      '  subnet_ids        = ["subnet-2"]',
      '}',
      'variable "name" {}',
    ].join('\n'),
    // A compute in a third root declares it uses an endpoint of the consumer root by address alone.
    '/ws/client/main.tf': '# privatelink-lens: uses aws_vpc_endpoint.api\nresource "aws_instance" "far" {\n  subnet_id = "subnet-9"\n}\n',
  };
  const a = new Analyzer();
  for (const [f, t] of Object.entries(files)) a.setFile(f, t);
  const r = assertEquivalent(a, files, settings, 'links');
  assert.ok(r.paths.some((p) => p.hops.some((h) => h.kind === 'endpointService' && h.resource?.startsWith('tf:/ws/provider:'))), 'the declared link is followed across roots');
  const linked = normalizeSettings({ links: [{ endpoint: '/ws/consumer/main.tf#aws_vpc_endpoint.api', service: '/ws/other/main.tf#aws_vpc_endpoint_service.api' }] });
  assertEquivalent(a, files, linked, 'a link setting');
});

test('an edit in one root resolves that root again, evaluates one component, and reuses the rest', () => {
  const gen = generateWorkspace(600, 7);
  const files: Files = {};
  for (const [f, t] of gen.files) files[`/gen/${f}`] = t;
  const a = new Analyzer();
  for (const [f, t] of Object.entries(files)) a.setFile(f, t);
  const first = assertEquivalent(a, files, settings, 'generated');
  const cold = a.timings()!;
  assert.equal(cold.rootsResolved, cold.roots);
  assert.ok(cold.components > 1, 'the generated workspace has several components');

  const file = `/gen/${gen.edit.file}`;
  files[file] = files[file].replace(new RegExp(`= ${gen.edit.port}\\b`, 'g'), `= ${gen.edit.otherPort}`);
  a.setFile(file, files[file]);
  const edited = assertEquivalent(a, files, settings, 'generated, after an edit');
  const t = a.timings()!;
  assert.equal(t.rootsResolved, 1);
  assert.equal(t.componentsEvaluated, 1);
  assert.ok(t.evaluatedResources < t.resources / 4, `only a part of the workspace was evaluated again (${t.evaluatedResources} of ${t.resources})`);
  assert.notDeepEqual(canonical(edited).findings, canonical(first).findings, 'the edit changed the findings');
  // Findings the edit did not touch are the very same objects (the server publishes only what changed).
  const editedDir = file.slice(0, file.lastIndexOf('/'));
  const untouched = first.findings.filter((f) => !f.location.file.startsWith(editedDir) && !f.location.file.includes('/modules/'));
  assert.ok(untouched.length > 0);
  assert.ok(untouched.every((f) => edited.findings.includes(f)), 'unaffected findings are reused');

  // A shared module: every root that calls it is resolved again.
  const module = Object.keys(files).find((f) => f.endsWith('/modules/network/main.tf'))!;
  files[module] = files[module].replace('enable_dns_support   = true', 'enable_dns_support   = false');
  a.setFile(module, files[module]);
  assertEquivalent(a, files, settings, 'generated, after a module edit');
  assert.equal(a.timings()!.rootsResolved, a.timings()!.roots);
});

test('a directory that becomes a module stops being a root, and back', () => {
  const files: Files = {
    '/ws/app/main.tf': 'resource "aws_security_group" "app" {\n  name = "app"\n}\n',
    '/ws/lib/main.tf': 'variable "name" {\n  default = "lib"\n}\nresource "aws_security_group" "lib" {\n  name = var.name\n}\n',
  };
  const a = new Analyzer();
  for (const [f, t] of Object.entries(files)) a.setFile(f, t);
  assertEquivalent(a, files, settings, 'two roots');
  files['/ws/app/main.tf'] += 'module "lib" {\n  source = "../lib"\n  name   = "from-app"\n}\n';
  a.setFile('/ws/app/main.tf', files['/ws/app/main.tf']);
  const r = assertEquivalent(a, files, settings, 'lib called from app');
  assert.ok(r.resources.some((x) => x.address === 'module.lib.aws_security_group.lib'));
  files['/ws/app/main.tf'] = files['/ws/app/main.tf'].replace('source = "../lib"', 'source = "../nowhere"');
  a.setFile('/ws/app/main.tf', files['/ws/app/main.tf']);
  assertEquivalent(a, files, settings, 'the call moved to a missing directory');
  files['/ws/nowhere/main.tf'] = 'resource "aws_security_group" "late" {}\n';
  a.setFile('/ws/nowhere/main.tf', files['/ws/nowhere/main.tf']);
  assertEquivalent(a, files, settings, 'the missing directory appears');
});

test('files read on another thread (parseFile, structured clone, setParsed) analyse as if read here', () => {
  const files = readTree(resolve('examples'), '/ex');
  const gen = generateWorkspace(120, 3);
  for (const [f, t] of gen.files) files[`/gen/${f}`] = t;
  const a = new Analyzer();
  for (const [f, t] of Object.entries(files)) a.setParsed(f, t, structuredClone(parseFile(f, t)));
  assertEquivalent(a, files, settings, 'pre-parsed files');
});

test('resolving settled roots while files are still being read does not change the result', () => {
  const gen = generateWorkspace(400, 11);
  // Read in sorted order, as the indexer does; the fresh analyses see the files in the same order.
  const names = [...gen.files.keys()].map((f) => `/gen/${f}`).sort();
  const files: Files = {};
  for (const f of names) files[f] = gen.files.get(f.slice('/gen/'.length))!;
  const unread = new Map<string, number>();
  const dirOf = (f: string) => f.slice(0, f.lastIndexOf('/'));
  for (const f of names) unread.set(dirOf(f), (unread.get(dirOf(f)) ?? 0) + 1);
  const a = new Analyzer();
  let early = 0;
  names.forEach((f, i) => {
    a.setFile(f, files[f]);
    unread.set(dirOf(f), unread.get(dirOf(f))! - 1);
    if (i % 37 === 0) early += a.resolveSettled((d) => (unread.get(d) ?? 0) === 0);
  });
  assert.ok(early > 0, 'some roots were resolved while reading');
  assertEquivalent(a, files, settings, 'resolved while reading');
  assert.ok(a.timings()!.rootsResolved < a.timings()!.roots, 'analyze reused what was resolved while reading');
});

test('a texts snapshot does not see later changes; the lookup answers like the resource list', () => {
  const files = readTree(resolve('examples'), '/ex');
  const a = new Analyzer();
  for (const [f, t] of Object.entries(files)) a.setFile(f, t);
  const snap = a.textsSnapshot();
  const r = a.analyze(settings);
  const file = '/ex/terraform/consumer/main.tf';
  a.setFile(file, `${files[file]}\n# changed\n`);
  a.setFile('/ex/terraform/consumer/new.tf', 'locals {}\n');
  assert.equal(snap.get(file), files[file]);
  assert.equal(snap.has('/ex/terraform/consumer/new.tf'), false);
  assert.equal(snap.size, Object.keys(files).length);
  assert.deepEqual([...snap.keys()].sort(), Object.keys(files).sort());
  assert.equal(a.textsSnapshot().get(file), `${files[file]}\n# changed\n`);
  for (const f of Object.keys(files)) {
    assert.deepEqual(r.lookup.resourcesOf(f), r.resources.filter((x) => x.file === f), f);
  }
  for (const x of r.resources) assert.equal(r.lookup.resource(x.key), x);
  assert.equal(r.lookup.resource('tf:/nowhere:aws_vpc.x'), undefined);
});
