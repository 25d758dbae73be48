import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';
import { type Parts, TF_CONSUMER_NET, TF_PROVIDER_NET, tfBlock, tfConsumer, tfProvider, cfnItem, CFN_CONSUMER_NET, cfnConsumer, cfnProvider, type Path, clientPaths, pathFrom, hop, describe, allOpen, errors } from './graphWorld';

/**
 * Paths across workspace boundaries: two Terraform roots, several CloudFormation stacks, and a consumer in
 * one language with its provider in the other (privatelink.md C6, E3 "declarations"). The path is evaluated
 * hop by hop across both sides: the provider's NLB group is judged against the consumer's subnet CIDRs.
 */

/** A Terraform consumer root whose endpoint's service name comes from remote state; `decl` is its annotation. */
function tfConsumerRoot(decl: string, p: Parts = {}): Record<string, string> {
  const endpoint = `
data "terraform_remote_state" "provider" {
  backend = "s3"
  config = {
    bucket = "state"
    key    = "provider.tfstate"
  }
}
${decl}
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = data.terraform_remote_state.provider.outputs.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  return { '/ws/consumer/net.tf': TF_CONSUMER_NET, '/ws/consumer/main.tf': tfConsumer({ endpoint, ...p }) };
}

function tfProviderRoot(p: Parts = {}): Record<string, string> {
  return {
    '/ws/provider/net.tf': TF_PROVIDER_NET,
    '/ws/provider/main.tf': `${tfProvider(p)}
output "service_name" {
  value = aws_vpc_endpoint_service.api.service_name
}
`,
  };
}

function cfnProviderStack(p: Parts = {}): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${cfnProvider(p)}Outputs:
  ServiceId:
    Value: !Ref Service
    Export:
      Name: provider-ServiceId
`;
}

function cfnConsumerStack(p: Parts = {}, serviceName = '!Ref ServiceName'): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ServiceName:
    Type: String
    Description: filled in at deployment
Resources:
${cfnConsumer(p, serviceName)}`;
}

/** The one path through an endpoint; its hops' files show which side each came from. */
function files(p: Path): Record<string, string | undefined> {
  return Object.fromEntries(p.hops.map((h) => [h.kind, h.location?.file]));
}

// ---------------------------------------------------------------------------------------------------------
// Two Terraform roots.

test('two Terraform roots linked by an annotation: one path across both, judged hop by hop', () => {
  const decl = '# privatelink-lens: service = ../provider/main.tf#aws_vpc_endpoint_service.api';
  const r = analyzeFiles({ ...tfConsumerRoot(decl), ...tfProviderRoot() });
  assert.equal(r.paths.length, 1, describe(r));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(files(p).endpoint, '/ws/consumer/main.tf');
  assert.equal(files(p).nlb, '/ws/provider/main.tf');
  assert.deepEqual(errors(r), []);
  // The provider's NLB group admits only part of the consumer subnet: PL021 names the consumer's CIDR.
  const narrow = analyzeFiles({
    ...tfConsumerRoot(decl),
    ...tfProviderRoot({ nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["10.1.1.0/25"]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') }),
  });
  assert.equal(hop(pathFrom(narrow, 'aws_instance.client'), 'nlbSg').verdict, 'blocked');
  const pl021 = findingsOf(narrow.findings, 'PL021');
  assert.equal(pl021.length, 1);
  assert.match(pl021[0].message, /10\.1\.1\.0\/24/);
  assert.equal(pl021[0].location.file, '/ws/provider/main.tf');
});

test('two Terraform roots linked by the links setting', () => {
  const settings = { links: [{ endpoint: 'consumer/main.tf#aws_vpc_endpoint.api', service: 'provider/main.tf#aws_vpc_endpoint_service.api' }] };
  const r = analyzeFiles({ ...tfConsumerRoot(''), ...tfProviderRoot() }, settings);
  allOpen(pathFrom(r, 'aws_instance.client'));
  const blocked = analyzeFiles({ ...tfConsumerRoot('', { endpointSg: '' }), ...tfProviderRoot() }, settings);
  assert.equal(hop(pathFrom(blocked, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(blocked.findings, 'PL002').length, 1);
});

test('the links setting names Terraform roots by folder on both sides', () => {
  // A Terraform address is unique in its root (a folder), not in a file; the endpoint side already accepts a folder.
  const settings = { links: [{ endpoint: 'consumer/#aws_vpc_endpoint.api', service: 'provider/#aws_vpc_endpoint_service.api' }] };
  const r = analyzeFiles({ ...tfConsumerRoot(''), ...tfProviderRoot() }, settings);
  allOpen(pathFrom(r, 'aws_instance.client'));
});

test('two Terraform roots without a declaration: the consumer link is unresolved (PL035), the provider half is still checked', () => {
  const r = analyzeFiles({
    ...tfConsumerRoot(''),
    ...tfProviderRoot({ appSg: tfBlock('ingress', 9000, 'security_groups = [aws_security_group.nlb.id]') }),
  });
  assert.deepEqual(clientPaths(r), []);
  assert.ok(findingsOf(r.findings, 'PL035').some((f) => f.message.startsWith('The endpoint service of aws_vpc_endpoint.api cannot be found')));
  // The provider-only path: no endpoint hops, the target SG problem is still found.
  assert.equal(r.paths.length, 1);
  assert.equal(r.paths[0].hops[0].kind, 'endpointService');
  assert.equal(findingsOf(r.findings, 'PL025').length, 1);
});

// ---------------------------------------------------------------------------------------------------------
// CloudFormation stacks.

test('three CloudFormation stacks: network exports, consumer imports, provider exports its service', () => {
  const network = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${CFN_CONSUMER_NET}Outputs:
  VpcId:
    Value: !Ref ConsumerVpc
    Export:
      Name: net-VpcId
  SubnetId:
    Value: !Ref ConsumerSubnet
    Export:
      Name: net-SubnetId
`;
  const consumer = (nlbCidr: string) => ({
    '/ws/network.yaml': network,
    '/ws/consumer.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${cfnConsumer({}, '!Sub ["com.amazonaws.vpce.${AWS::Region}.${Id}", {Id: !ImportValue provider-ServiceId}]')
  .replace(CFN_CONSUMER_NET, '')
  .replace(/!Ref ConsumerVpc/g, '!ImportValue net-VpcId')
  .replace(/!Ref ConsumerSubnet/g, '!ImportValue net-SubnetId')}`,
    '/ws/provider.yaml': cfnProviderStack({
      nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, `CidrIp: ${nlbCidr}`)}\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}`,
    }),
  });
  const r = analyzeFiles(consumer('10.1.0.0/16'));
  const p = pathFrom(r, 'Client');
  allOpen(p);
  assert.equal(files(p).client, '/ws/consumer.yaml');
  assert.equal(files(p).nlb, '/ws/provider.yaml');
  const narrow = analyzeFiles(consumer('10.1.1.0/25'));
  assert.equal(hop(pathFrom(narrow, 'Client'), 'nlbSg').verdict, 'blocked');
  assert.match(findingsOf(narrow.findings, 'PL021')[0]?.message ?? '', /10\.1\.1\.0\/24/);
});

// ---------------------------------------------------------------------------------------------------------
// Mixed: one side in Terraform, the other in CloudFormation.

test('mixed: a Terraform consumer declares a CloudFormation provider\'s endpoint service (annotation)', () => {
  const decl = '# privatelink-lens: service = ../provider/stack.yaml#Service';
  const r = analyzeFiles({ ...tfConsumerRoot(decl), '/ws/provider/stack.yaml': cfnProviderStack() });
  assert.equal(r.paths.length, 1, describe(r));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'endpointService').label, 'Service');
  assert.equal(files(p).clientSg, '/ws/consumer/main.tf');
  assert.equal(files(p).nlbSg, '/ws/provider/stack.yaml');
  assert.equal(files(p).targetSg, '/ws/provider/stack.yaml');
  assert.deepEqual(errors(r), []);
  // The CloudFormation NLB group is judged against the Terraform client's subnet.
  const narrow = analyzeFiles({
    ...tfConsumerRoot(decl),
    '/ws/provider/stack.yaml': cfnProviderStack({ nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.1.0/25')}` }),
  });
  const np = pathFrom(narrow, 'aws_instance.client');
  assert.equal(hop(np, 'nlbSg').verdict, 'blocked');
  const pl021 = findingsOf(narrow.findings, 'PL021');
  assert.equal(pl021.length, 1);
  assert.match(pl021[0].message, /10\.1\.1\.0\/24/);
  assert.equal(pl021[0].location.file, '/ws/provider/stack.yaml');
  // And a consumer-side problem in the same workspace is reported in the Terraform file.
  const both = analyzeFiles({ ...tfConsumerRoot(decl, { clientSg: '' }), '/ws/provider/stack.yaml': cfnProviderStack({ appSg: `\n      SecurityGroupIngress:\n${cfnItem(9000, 'CidrIp: 10.0.1.0/24')}` }) });
  const bp = pathFrom(both, 'aws_instance.client');
  assert.deepEqual(
    bp.hops.filter((h) => h.verdict === 'blocked').map((h) => h.kind),
    ['clientSg', 'targetSg'],
  );
  assert.equal(findingsOf(both.findings, 'PL001')[0]?.location.file, '/ws/consumer/main.tf');
  assert.equal(findingsOf(both.findings, 'PL025')[0]?.location.file, '/ws/provider/stack.yaml');
});

test('mixed: a CloudFormation consumer linked to a Terraform provider by the links setting', () => {
  const settings = { links: [{ endpoint: 'consumer/stack.yaml#Endpoint', service: 'provider/main.tf#aws_vpc_endpoint_service.api' }] };
  const r = analyzeFiles({ '/ws/consumer/stack.yaml': cfnConsumerStack(), ...tfProviderRoot() }, settings);
  assert.equal(r.paths.length, 1, describe(r));
  const p = pathFrom(r, 'Client');
  allOpen(p);
  assert.equal(hop(p, 'endpointService').label, 'aws_vpc_endpoint_service.api');
  assert.equal(files(p).endpoint, '/ws/consumer/stack.yaml');
  assert.equal(files(p).nlbSg, '/ws/provider/main.tf');
  assert.deepEqual(findingsOf(r.findings, 'PL035').filter((f) => /endpoint service of Endpoint/.test(f.message)), []);
  // Without the setting: unresolved, info only.
  const unlinked = analyzeFiles({ '/ws/consumer/stack.yaml': cfnConsumerStack(), ...tfProviderRoot() });
  assert.deepEqual(clientPaths(unlinked), []);
  assert.ok(findingsOf(unlinked.findings, 'PL035').some((f) => /endpoint service of Endpoint/.test(f.message)));
  // The Terraform NLB group judged against the CloudFormation client's subnet.
  const narrow = analyzeFiles(
    { '/ws/consumer/stack.yaml': cfnConsumerStack(), ...tfProviderRoot({ nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["10.1.1.0/25"]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') }) },
    settings,
  );
  assert.equal(hop(pathFrom(narrow, 'Client'), 'nlbSg').verdict, 'blocked');
  assert.match(findingsOf(narrow.findings, 'PL021')[0]?.message ?? '', /10\.1\.1\.0\/24/);
});
