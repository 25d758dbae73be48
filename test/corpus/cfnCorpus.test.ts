import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readCloudFormation, type CfnReadResult } from '../../server/src/engine/resolve/cloudformation';
import { isJsonTemplateText } from '../../server/src/engine/parse/cloudformation';
import { toJson } from '../../server/src/engine/model/value';

// The corpus sits beside the repository (shared/corpus); tests run from the repository root.
const CORPUS = resolve(process.cwd(), '../shared/corpus');
const MISSING = existsSync(CORPUS) ? undefined : `no corpus at ${CORPUS}`;
if (MISSING) console.log(`cfn corpus tests skipped: ${MISSING}`);

function templateFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '.git' && name !== 'node_modules') templateFiles(p, out);
    } else if (/\.(ya?ml|json|template)$/i.test(name)) out.push(p);
  }
  return out.sort();
}

function read(rel: string): { text: string; result: CfnReadResult } {
  const file = join(CORPUS, rel);
  const text = readFileSync(file, 'utf8');
  return { text, result: readCloudFormation(rel, text, isJsonTemplateText(file, text)) };
}

test('every YAML/JSON file of the corpus reads without an exception, each in under a second', (t) => {
  if (MISSING) return t.skip(MISSING);
  const files = templateFiles(CORPUS);
  assert.ok(files.length > 0);
  let templates = 0;
  let skipped = 0;
  let withErrors = 0;
  let resources = 0;
  let slowest = { file: '', ms: 0 };
  for (const file of files) {
    const rel = relative(CORPUS, file);
    const text = readFileSync(file, 'utf8');
    const t0 = performance.now();
    let r: CfnReadResult;
    try {
      r = readCloudFormation(rel, text, isJsonTemplateText(file, text));
    } catch (e) {
      assert.fail(`${rel} threw: ${e instanceof Error ? e.stack : String(e)}`);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `${rel} took ${ms.toFixed(0)} ms`);
    if (ms > slowest.ms) slowest = { file: rel, ms };
    if (!r.isTemplate) {
      skipped++;
      assert.deepEqual(r, { isTemplate: false, errors: [], resources: [], exports: [], comments: [] }, rel);
      continue;
    }
    templates++;
    resources += r.resources.length;
    if (r.errors.length > 0) withErrors++;
    for (const e of r.errors) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `${rel}: ${JSON.stringify(e)}`);
    for (const res of r.resources) {
      assert.ok(res.nameSpan.start >= res.span.start && res.nameSpan.end <= res.span.end, `${rel} ${res.address}: name outside the resource`);
      for (const [k, s] of Object.entries(res.attrSpans)) assert.ok(s.start >= res.span.start && s.end <= res.span.end, `${rel} ${res.address}.${k}`);
    }
  }
  console.log(
    `cfn corpus: ${files.length} files, ${templates} templates (${resources} resources), ${skipped} non-templates skipped, ` +
      `${withErrors} templates with errors, slowest ${slowest.file} ${slowest.ms.toFixed(0)} ms`,
  );
  // The corpus holds hundreds of templates; far fewer would mean detection broke.
  assert.ok(templates > 500, `only ${templates} templates found`);
});

const SAP = 'aws-cloudformation__aws-cloudformation-templates/AWSSupplyChain/SapPrivateLink';

/** toJson of every attribute, with the file in reference targets left out so twins compare equal. */
function comparable(r: CfnReadResult, file: string): unknown {
  const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x).split(`cfn:${file}:`).join('cfn:<template>:'));
  return {
    resources: r.resources.map((res) => ({ id: res.address, type: res.type, attrs: strip(Object.fromEntries(Object.entries(res.attrs).map(([k, v]) => [k, toJson(v)]))) })),
    exports: r.exports.map((e) => ({ name: e.name, value: strip(toJson(e.value)) })),
  };
}

test('the SapPrivateLink YAML and JSON twins read the same', (t) => {
  if (MISSING) return t.skip(MISSING);
  for (const name of ['SapPrivateLink', 'SapPrivateLinkNoHostedZone']) {
    const y = read(`${SAP}/${name}.yaml`);
    const j = read(`${SAP}/${name}.json`);
    assert.deepEqual(y.result.errors, [], name);
    assert.deepEqual(j.result.errors, [], name);
    assert.ok(y.result.resources.length >= 8, `${name}: ${y.result.resources.length} resources`);
    assert.deepEqual(comparable(j.result, `${SAP}/${name}.json`), comparable(y.result, `${SAP}/${name}.yaml`), name);
  }
  // The PrivateLink pieces of the provider template, as the graph will need them.
  const r = read(`${SAP}/SapPrivateLink.yaml`).result;
  const key = (id: string): string => `cfn:${SAP}/SapPrivateLink.yaml:${id}`;
  const byId = (id: string) => r.resources.find((x) => x.address === id);
  assert.deepEqual(toJson(byId('ASCPrivateLinkVPCES')?.attrs.NetworkLoadBalancerArns ?? { kind: 'null' }), [{ $ref: key('ASCPrivateLinkNLB'), attr: [] }]);
  assert.deepEqual(toJson(byId('ASCPrivateLinkVPCESPermission')?.attrs.AllowedPrincipals ?? { kind: 'null' }), ['appflow.amazonaws.com']);
  // InVpc defaults to Yes, so IpInVpc holds and AvailabilityZone is AWS::NoValue.
  assert.deepEqual(toJson(byId('ASCPrivateLinkTargetGroup')?.attrs.Targets ?? { kind: 'null' }), [
    { Id: { $unknown: 'parameter IP has no Default' }, Port: 50000 },
  ]);
  assert.equal(toJson(byId('ASCPrivateLinkTargetGroup')?.attrs.Protocol ?? { kind: 'null' }), 'TCP');
});

/**
 * The files of cfn-lint's `templates/bad/` that CloudFormation cannot parse at all (the others there are
 * well-formed templates with semantic mistakes): bad JSON punctuation, YAML indentation, duplicate keys,
 * a function call used as a key.
 */
const CFN_LINT_BAD = 'aws-cloudformation__cfn-lint/test/fixtures/templates/bad';
const SYNTAX_INVALID = [
  'json_parse.json',
  'core/config_invalid_json.json',
  'core/config_invalid_yaml.yaml',
  'core/parse_invalid_map.yaml',
  'duplicate.yaml',
  'duplicate.json',
  'template.yaml',
];

test('cfn-lint bad templates that are syntactically invalid give errors; the well-formed ones and good/ give none', (t) => {
  if (MISSING) return t.skip(MISSING);
  for (const rel of SYNTAX_INVALID) {
    const { text, result } = read(`${CFN_LINT_BAD}/${rel}`);
    assert.equal(result.isTemplate, true, rel);
    assert.ok(result.errors.length > 0, `${rel}: no errors`);
    for (const e of result.errors) assert.ok(e.span.end <= text.length && e.span.start <= e.span.end, rel);
  }
  const dup = read(`${CFN_LINT_BAD}/duplicate.json`);
  assert.deepEqual(dup.result.errors.map((e) => dup.text.slice(e.span.start, e.span.end)), ['"MySNSTopic"', '"MySNSTopic"']);

  let clean = 0;
  for (const dir of [CFN_LINT_BAD, CFN_LINT_BAD.replace(/bad$/, 'good')]) {
    for (const file of templateFiles(join(CORPUS, dir))) {
      const rel = relative(join(CORPUS, CFN_LINT_BAD), file);
      if (SYNTAX_INVALID.includes(rel)) continue;
      const { result } = read(relative(CORPUS, file));
      assert.deepEqual(result.errors, [], relative(CORPUS, file));
      clean++;
    }
  }
  assert.ok(clean > 100, `${clean}`);
});
