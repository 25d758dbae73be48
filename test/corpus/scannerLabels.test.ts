import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Analyzer, DEFAULT_SETTINGS, type AnalysisResult } from '../../server/src/engine';

/**
 * Where a rule overlaps a check of Checkov, Trivy or KICS, it agrees with their labelled fixtures in the
 * corpus, or the difference is written in the rule's doc (and asserted here, so it stays true).
 */
const CORPUS = resolve(process.cwd(), '../shared/corpus');
const skip = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}`;
if (skip) console.log(`# skipping scanner label comparison: ${skip}`);

function analyze(...files: string[]): AnalysisResult {
  const a = new Analyzer();
  for (const f of files) a.setFile(join(CORPUS, f), readFileSync(join(CORPUS, f), 'utf8'));
  return a.analyze(DEFAULT_SETTINGS);
}

const about = (r: AnalysisResult, rule: string) =>
  r.findings
    .filter((f) => f.ruleId === rule)
    .map((f) => r.resources.find((x) => x.file === f.location.file && x.span.start <= f.location.span.start && f.location.span.end <= x.span.end)?.address)
    .sort();

test('PL014 agrees with Checkov CKV_AWS_123 (Terraform)', { skip }, () => {
  const dir = 'bridgecrewio__checkov/_extracted/VPCEndpointAcceptanceConfigured';
  assert.deepEqual(about(analyze(`${dir}/FAILED.tf`), 'PL014'), ['aws_vpc_endpoint_service.example']);
  assert.deepEqual(about(analyze(`${dir}/PASSED.tf`), 'PL014'), []);
});

test('PL014 agrees with Checkov CKV_AWS_123 (CloudFormation, a missing AcceptanceRequired fails)', { skip }, () => {
  const dir = 'bridgecrewio__checkov/tests/cloudformation/checks/resource/aws/example_VPCEndpointAcceptanceConfigured';
  assert.deepEqual(about(analyze(`${dir}/FAIL.yaml`), 'PL014'), ['FailDefault', 'FailExplicit']);
  assert.deepEqual(about(analyze(`${dir}/PASS.yaml`), 'PL014'), []);
});

test('PL009 and the KICS SQS endpoint DNS query: agreement, and the two documented differences', { skip }, () => {
  const dir = 'Checkmarx__kics/assets/queries/terraform/aws/sqs_vpc_endpoint_without_dns_resolution/test';
  // positive1: DNS resolution off with private DNS on: both flag it.
  assert.deepEqual(about(analyze(`${dir}/positive1.tf`), 'PL009'), ['aws_vpc_endpoint.sqs-vpc-endpoint']);
  // positive2: the VPC comes from the registry vpc module, which is not modelled: unknown, so PL009 is silent.
  assert.deepEqual(about(analyze(`${dir}/positive2.tf`), 'PL009'), []);
  // negative1: DNS resolution on but DNS hostnames off: KICS checks only resolution; private DNS needs both (A2.5).
  assert.deepEqual(about(analyze(`${dir}/negative1.tf`), 'PL009'), ['aws_vpc_endpoint.sqs-vpc-endpoint2']);
  assert.deepEqual(about(analyze(`${dir}/negative2.tf`), 'PL009'), []);
  const doc = readFileSync('docs/rules/PL009.md', 'utf8');
  assert.match(doc, /KICS/, 'PL009.md explains the difference from KICS');
});

test('PL031 looks only at groups on a PrivateLink path: silent on the KICS and Trivy open-ingress fixtures, as its doc says', { skip }, () => {
  const kics = 'Checkmarx__kics/assets/queries/terraform/aws/unrestricted_security_group_ingress/test';
  for (const n of [1, 2, 3, 4]) assert.deepEqual(about(analyze(`${kics}/positive${n}.tf`), 'PL031'), [], `positive${n}`);
  assert.match(readFileSync('docs/rules/PL031.md', 'utf8'), /every group/);
});

test('PL034 looks only at VPCs on a PrivateLink path: silent on the Trivy flow-log fixtures, as its doc says', { skip }, () => {
  const dir = 'aquasecurity__trivy-checks/_extracted/ec2/require_vpc_flow_logs_for_all_vpcs';
  const bad = join(CORPUS, dir, 'terraform', 'bad_1.tf');
  assert.ok(existsSync(bad), bad);
  assert.deepEqual(about(analyze(`${dir}/terraform/bad_1.tf`), 'PL034'), []);
  assert.match(readFileSync('docs/rules/PL034.md', 'utf8'), /AWS-0178/);
});
