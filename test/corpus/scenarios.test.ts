import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Analyzer, DEFAULT_SETTINGS, isCandidateFile, normalizeSettings, type AnalysisResult, type Finding, type Settings } from '../../server/src/engine';

/**
 * The expectations of ../shared/corpus/SCENARIOS.md over real code nobody here wrote. The corpus is not part
 * of the project; without it these tests skip and say why.
 */
const CORPUS = resolve(process.cwd(), '../shared/corpus');
const present = existsSync(CORPUS);
const skip = present ? false : `corpus not found at ${CORPUS}`;
if (!present) console.log(`# skipping corpus scenarios: ${skip}`);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (name !== '.terraform' && name !== 'node_modules' && name !== '.git') walk(p, out);
    } else if (isCandidateFile(p)) out.push(p);
  }
  return out;
}

function analyze(paths: string[], settings: Partial<Settings> = {}): AnalysisResult {
  const a = new Analyzer();
  for (const p of paths) {
    const abs = join(CORPUS, p);
    for (const f of statSync(abs).isDirectory() ? walk(abs) : [abs]) a.setFile(f, readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
  }
  return a.analyze(normalizeSettings({ ...DEFAULT_SETTINGS, ...settings }));
}

const of = (r: AnalysisResult, id: string): Finding[] => r.findings.filter((f) => f.ruleId === id);
const errors = (r: AnalysisResult, ids: string[]) => r.findings.filter((f) => f.severity === 'error' && ids.includes(f.ruleId));
const show = (fs: Finding[]) => fs.map((f) => `${f.ruleId} ${f.location.file.slice(CORPUS.length)} ${f.message}`).join('\n');

test('1. Lamaglama39 privatelink-access-control: all five control points set, the path is open', { skip }, () => {
  const r = analyze(['Lamaglama39__terraform-for-aws/app/privatelink-access-control']);
  const withClient = r.paths.filter((p) => p.hops[0].kind === 'client' && p.hops[0].verdict === 'open');
  const clients = new Set(withClient.map((p) => p.hops[0].label));
  assert.deepEqual([...clients].sort(), ['aws_instance.ec2_client_vpcendpoint', 'aws_instance.ec2_client_vpcpeering'], JSON.stringify(r.paths.map((p) => p.hops.map((h) => `${h.kind}:${h.verdict}:${h.label}`)), null, 1));
  for (const p of withClient) {
    assert.deepEqual(
      p.hops.filter((h) => h.verdict !== 'open').map((h) => `${h.kind}: ${h.reasons.map((x) => x.message).join(' ')}`),
      [],
    );
    assert.equal(p.port, 'TCP 80');
  }
  assert.deepEqual(show(errors(r, ['PL001', 'PL002', 'PL021', 'PL022', 'PL024', 'PL025'])), '');
  const pl014 = of(r, 'PL014');
  assert.equal(pl014.length, 1);
  assert.equal(pl014[0].severity, 'warning');
});

test('2. RhubarbSin endpoint-service-rds-example: open end to end, no errors', { skip }, () => {
  const r = analyze(['RhubarbSin__terraform-aws-endpoint-service-rds-example']);
  const full = r.paths.filter((p) => p.hops[0].kind === 'client');
  assert.ok(full.length >= 1, JSON.stringify(r.paths.map((p) => p.hops.map((h) => `${h.kind}:${h.verdict}`))));
  for (const p of full) {
    // The RDS target is registered by an IP read with data.aws_network_interface at plan time: that last
    // hop is honestly unknown; every hop before it must be open.
    const notOpen = p.hops.filter((h) => h.verdict !== 'open');
    assert.deepEqual(
      notOpen.map((h) => `${h.kind}:${h.verdict}`),
      ['nlbSg:unknown', 'target:unknown'],
      JSON.stringify(notOpen, null, 1),
    );
    for (const h of notOpen) assert.match(h.reasons[0].message, /data\.aws_network_interface\.this\.private_ip is read from AWS at plan time/);
  }
  assert.deepEqual(show(r.findings.filter((f) => f.severity === 'error')), '');
});

for (const lang of ['cloudformation', 'terraform']) {
  test(`3. private-saas privatelink_nlb_alb (${lang}): PL031 on the NLB SG and PL014, no client findings`, { skip }, () => {
    const r = analyze([`aws-samples__private-saas-with-aws-privatelink/privatelink_nlb_alb/${lang}`]);
    assert.ok(of(r, 'PL031').length >= 1, show(r.findings));
    assert.ok(of(r, 'PL014').length >= 1, show(r.findings));
    assert.deepEqual(show([...of(r, 'PL001'), ...of(r, 'PL002')]), '');
  });
}

test('4. SapPrivateLink: PL020 in the YAML and the JSON twin alike, and the service principal is valid', { skip }, () => {
  const dir = 'aws-cloudformation__aws-cloudformation-templates/AWSSupplyChain/SapPrivateLink';
  const files = readdirSync(join(CORPUS, dir));
  const yaml = files.filter((f) => /\.ya?ml$/.test(f));
  assert.ok(yaml.length > 0);
  for (const y of yaml) {
    const twin = files.find((f) => f === y.replace(/\.ya?ml$/, '.json'));
    const ry = analyze([join(dir, y)]);
    assert.ok(of(ry, 'PL020').length >= 1, `${y}: ${show(ry.findings)}`);
    assert.deepEqual(of(ry, 'PL015'), []);
    if (twin) {
      const rj = analyze([join(dir, twin)]);
      const ids = (r: AnalysisResult) => r.findings.map((f) => `${f.ruleId}:${f.severity}`).sort();
      assert.deepEqual(ids(rj), ids(ry), `${y} and ${twin} give the same findings`);
    }
  }
});

test('5. privatelink-multi-account-governance test-vpc-endpoint-service: PL020; principals from a parameter are not an error', { skip }, () => {
  const r = analyze(['aws-samples__privatelink-multi-account-governance/templates/test-vpc-endpoint-service.yaml']);
  assert.ok(of(r, 'PL020').length >= 1, show(r.findings));
  assert.deepEqual(of(r, 'PL015'), []);
  assert.deepEqual(of(r, 'PL013'), []);
});

test('6. FonNkwenti cross-account: PL031 on the NLB SG; the consumer link is PL035 until declared', { skip }, () => {
  const dirs = ['FonNkwenti__tf-cross-account-privateLink'];
  const r = analyze(dirs);
  assert.ok(of(r, 'PL031').length >= 1, show(r.findings));
  assert.ok(
    of(r, 'PL035').some((f) => /endpoint service of/.test(f.message)),
    show(of(r, 'PL035')),
  );
  assert.equal(r.paths.filter((p) => p.hops[0].kind === 'client').length, 0);
  const endpoint = r.resources.find((x) => x.type === 'aws_vpc_endpoint');
  const service = r.resources.find((x) => x.type === 'aws_vpc_endpoint_service');
  assert.ok(endpoint && service);
  const declared = analyze(dirs, { links: [{ endpoint: `${endpoint.file}#${endpoint.address}`, service: `${service.file}#${service.address}` }] });
  assert.ok(
    declared.paths.some((p) => p.hops.some((h) => h.kind === 'endpoint')),
    'after the declaration the path through the endpoint is analysed',
  );
});

test('7. terraform-aws-alb complete-nlb: the module input enforcement "off" reaches the analysis (PL023)', { skip }, () => {
  const r = analyze(['terraform-aws-modules__terraform-aws-alb']);
  const pl023 = of(r, 'PL023').filter((f) => f.location.file.includes('examples/complete-nlb'));
  assert.ok(pl023.length >= 1, show(of(r, 'PL023')));
  assert.ok(pl023.every((f) => f.severity === 'info'));
});

test('8. terraform-aws-vpc complete with vpc-endpoints: no PrivateLink errors', { skip }, () => {
  const r = analyze(['terraform-aws-modules__terraform-aws-vpc']);
  assert.deepEqual(show(r.findings.filter((f) => f.severity === 'error' && f.ruleId !== 'parse-error')), '');
  assert.ok(r.resources.some((x) => x.type === 'aws_vpc_endpoint' && x.address.startsWith('module.vpc_endpoints')), 'module endpoints are instantiated');
});

test('the whole corpus is read and analysed without an exception', { skip }, () => {
  const files = walk(CORPUS);
  assert.ok(files.length > 2000, `${files.length} files`);
  const a = new Analyzer();
  let slowest = { file: '', ms: 0 };
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const t0 = performance.now();
    a.setFile(f, text);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { file: f, ms };
  }
  const r = a.analyze(DEFAULT_SETTINGS);
  console.log(`# corpus: ${files.length} files, ${r.stats.files} analysed, ${r.resources.length} resources, ${r.paths.length} paths, ${r.findings.length} findings; slowest parse ${slowest.ms.toFixed(1)} ms (${slowest.file.slice(CORPUS.length)}); analysis ${r.stats.analyzeMs} ms`);
  assert.ok(slowest.ms < 1000, `${slowest.file} took ${slowest.ms} ms`);
  // Deliberately broken files give a parse diagnostic.
  for (const broken of ['bridgecrewio__checkov/tests/terraform/runner/resources/invalid_terraform_syntax', 'aws-cloudformation__cfn-lint/test/fixtures/templates/bad/json_parse.json']) {
    const abs = join(CORPUS, broken);
    if (!existsSync(abs)) continue;
    const inside = r.findings.filter((f) => f.ruleId === 'parse-error' && f.location.file.startsWith(abs));
    assert.ok(inside.length > 0, `${broken} gives a parse error`);
  }
});
