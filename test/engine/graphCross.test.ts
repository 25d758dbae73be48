import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';

/**
 * Paths across workspace boundaries: two Terraform roots, several CloudFormation stacks, and a consumer in
 * one language with its provider in the other (privatelink.md C6, E3 "declarations"). The path is evaluated
 * hop by hop across both sides: the provider's NLB group is judged against the consumer's subnet CIDRs.
 */

// ---------------------------------------------------------------------------------------------------------
// Fixtures. One PrivateLink setup per language whose every hop is open; each part can be replaced.
// Consumer VPC 10.1.0.0/16 (subnet 10.1.1.0/24), provider VPC 10.0.0.0/16 (subnet 10.0.1.0/24); the NLB
// listens on TCP 443 and forwards to a target group on 8443.

interface Parts {
  clientSg?: string;
  endpointSg?: string;
  client?: string;
  endpoint?: string;
  nlbSg?: string;
  appSg?: string;
  target?: string;
  lb?: string;
  tg?: string;
  listener?: string;
  service?: string;
  consumerExtra?: string;
  providerExtra?: string;
}

/** A Terraform rule block (inline `ingress`/`egress`). */
function tfBlock(dir: 'ingress' | 'egress', port: number | [number, number], peer: string, protocol = 'tcp'): string {
  const [from, to] = Array.isArray(port) ? port : [port, port];
  return `
  ${dir} {
    from_port = ${from}
    to_port   = ${to}
    protocol  = "${protocol}"
    ${peer}
  }`;
}

function tfConsumer(p: Parts): string {
  return `resource "aws_security_group" "client" {
  vpc_id = aws_vpc.c.id${p.clientSg ?? tfBlock('egress', 443, 'security_groups = [aws_security_group.endpoint.id]')}
}

resource "aws_security_group" "endpoint" {
  vpc_id = aws_vpc.c.id${p.endpointSg ?? tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]')}
}
${
  p.client ??
  `
resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.client.id]
}`
}
${
  p.endpoint ??
  `
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`
}
${p.consumerExtra ?? ''}`;
}

function tfProvider(p: Parts): string {
  return `resource "aws_security_group" "nlb" {
  vpc_id = aws_vpc.p.id${p.nlbSg ?? tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]')}
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.p.id${p.appSg ?? tfBlock('ingress', 8443, 'security_groups = [aws_security_group.nlb.id]')}
}
${
  p.target ??
  `
resource "aws_instance" "app" {
  subnet_id              = aws_subnet.p.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
}`
}
${
  p.lb ??
  `
resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.p.id]
  security_groups    = [aws_security_group.nlb.id]
}`
}
${
  p.tg ??
  `
resource "aws_lb_target_group" "app" {
  port     = 8443
  protocol = "TCP"
  vpc_id   = aws_vpc.p.id
}`
}
${
  p.listener ??
  `
resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}`
}
${
  p.service ??
  `
resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.nlb.arn]
}`
}
${p.providerExtra ?? ''}`;
}

/** A CloudFormation resource. `props` is the Properties body, indented by six spaces. */
function cfnRes(name: string, type: string, props: string): string {
  return `  ${name}:
    Type: ${type}
    Properties:
${props}
`;
}

/** A CloudFormation rule list item (inline SecurityGroupIngress/Egress). */
function cfnItem(port: number | [number, number], peer: string, protocol = 'tcp'): string {
  const [from, to] = Array.isArray(port) ? port : [port, port];
  return `        - IpProtocol: ${protocol}
          FromPort: ${from}
          ToPort: ${to}
          ${peer}`;
}

const CFN_CONSUMER_NET = `  ConsumerVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
  ConsumerSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref ConsumerVpc
      CidrBlock: 10.1.1.0/24
`;
const CFN_PROVIDER_NET = `  ProviderVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  ProviderSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref ProviderVpc
      CidrBlock: 10.0.1.0/24
`;

/**
 * The consumer's resources. SGs that reference each other use a standalone rule resource on one side, as
 * CloudFormation needs (A1.7): the client SG's egress is inline, the endpoint SG's ingress standalone.
 */
function cfnConsumer(p: Parts, serviceName = '!Sub "com.amazonaws.vpce.${AWS::Region}.${Service}"'): string {
  return (
    CFN_CONSUMER_NET +
    cfnRes('ClientSg', 'AWS::EC2::SecurityGroup', `      GroupDescription: client
      VpcId: !Ref ConsumerVpc${p.clientSg ?? `\n      SecurityGroupEgress:\n${cfnItem(443, 'DestinationSecurityGroupId: !GetAtt EndpointSg.GroupId')}`}`) +
    cfnRes('EndpointSg', 'AWS::EC2::SecurityGroup', `      GroupDescription: endpoint
      VpcId: !Ref ConsumerVpc${p.endpointSg ?? ''}`) +
    (p.endpointSg === undefined
      ? cfnRes('EndpointFromClient', 'AWS::EC2::SecurityGroupIngress', `      GroupId: !GetAtt EndpointSg.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      SourceSecurityGroupId: !GetAtt ClientSg.GroupId`)
      : '') +
    (p.client ??
      cfnRes('Client', 'AWS::EC2::Instance', `      SubnetId: !Ref ConsumerSubnet
      SecurityGroupIds: [!GetAtt ClientSg.GroupId]`)) +
    (p.endpoint ??
      cfnRes('Endpoint', 'AWS::EC2::VPCEndpoint', `      VpcId: !Ref ConsumerVpc
      VpcEndpointType: Interface
      ServiceName: ${serviceName}
      SubnetIds: [!Ref ConsumerSubnet]
      SecurityGroupIds: [!GetAtt EndpointSg.GroupId]`)) +
    (p.consumerExtra ?? '')
  );
}

function cfnProvider(p: Parts): string {
  return (
    CFN_PROVIDER_NET +
    cfnRes('NlbSg', 'AWS::EC2::SecurityGroup', `      GroupDescription: nlb
      VpcId: !Ref ProviderVpc${p.nlbSg ?? `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}`}`) +
    cfnRes('AppSg', 'AWS::EC2::SecurityGroup', `      GroupDescription: app
      VpcId: !Ref ProviderVpc${p.appSg ?? ''}`) +
    (p.appSg === undefined
      ? cfnRes('AppFromNlb', 'AWS::EC2::SecurityGroupIngress', `      GroupId: !GetAtt AppSg.GroupId
      IpProtocol: tcp
      FromPort: 8443
      ToPort: 8443
      SourceSecurityGroupId: !GetAtt NlbSg.GroupId`)
      : '') +
    (p.target ??
      cfnRes('App', 'AWS::EC2::Instance', `      SubnetId: !Ref ProviderSubnet
      SecurityGroupIds: [!GetAtt AppSg.GroupId]`)) +
    (p.lb ??
      cfnRes('Nlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', `      Type: network
      Scheme: internal
      Subnets: [!Ref ProviderSubnet]
      SecurityGroups: [!GetAtt NlbSg.GroupId]`)) +
    (p.tg ??
      cfnRes('Tg', 'AWS::ElasticLoadBalancingV2::TargetGroup', `      Port: 8443
      Protocol: TCP
      VpcId: !Ref ProviderVpc${p.target === undefined ? '\n      Targets:\n        - Id: !Ref App' : ''}`)) +
    (p.listener ??
      cfnRes('Listener', 'AWS::ElasticLoadBalancingV2::Listener', `      LoadBalancerArn: !Ref Nlb
      Port: 443
      Protocol: TCP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Tg`)) +
    (p.service ??
      cfnRes('Service', 'AWS::EC2::VPCEndpointService', `      AcceptanceRequired: true
      NetworkLoadBalancerArns: [!Ref Nlb]`)) +
    (p.providerExtra ?? '')
  );
}

// ---------------------------------------------------------------------------------------------------------
// Reading results.

const HOPS = ['client', 'clientSg', 'endpointSg', 'endpoint', 'endpointService', 'nlbSg', 'nlb', 'listener', 'targetGroup', 'targetSg', 'target'];

type Result = ReturnType<typeof analyzeFiles>;
type Path = Result['paths'][number];

/** Paths that start at a known client. */
function clientPaths(r: Result): Path[] {
  return r.paths.filter((p) => p.hops[0]?.kind === 'client' && p.hops[0].verdict === 'open');
}

/** The one path from the client named `label` (its address or logical id). */
function pathFrom(r: Result, label: string): Path {
  const ps = clientPaths(r).filter((p) => p.hops[0].label === label);
  assert.equal(ps.length, 1, `one path from ${label}; paths: ${describe(r)}`);
  return ps[0];
}

function hop(p: Path, kind: string): Path['hops'][number] {
  const h = p.hops.find((x) => x.kind === kind);
  assert.ok(h, `hop ${kind} in ${p.hops.map((x) => x.kind).join(',')}`);
  return h;
}

/** `kind:verdict` of every hop, for readable failure messages. */
function describe(r: Result): string {
  return JSON.stringify(r.paths.map((p) => `${p.port} ${p.hops.map((h) => `${h.kind}:${h.verdict}(${h.label})${h.reasons.map((x) => `[${x.ruleId}]`).join('')}`).join(' > ')}`));
}

function allOpen(p: Path): void {
  assert.deepEqual(
    p.hops.map((h) => h.kind),
    HOPS,
  );
  assert.deepEqual(
    p.hops.map((h) => `${h.kind}:${h.verdict}`),
    HOPS.map((k) => `${k}:open`),
    JSON.stringify(p.hops, null, 1),
  );
  assert.equal(p.verdict, 'open');
}

function errors(r: Result): string[] {
  return r.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`);
}


const TF_CONSUMER_NET = `resource "aws_vpc" "c" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "c" {
  vpc_id     = aws_vpc.c.id
  cidr_block = "10.1.1.0/24"
}
`;
const TF_PROVIDER_NET = `resource "aws_vpc" "p" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.p.id
  cidr_block = "10.0.1.0/24"
}
`;

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
