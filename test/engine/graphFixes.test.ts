import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits, findingsOf } from './helpers';

/**
 * Quick fixes of the path rules that have them (PL001, PL002, PL003, PL014, PL021, PL024, PL025), in
 * Terraform and CloudFormation: each fix, applied with `applyEdits`, removes its finding, leaves the files
 * parseable, and opens the hop it was about.
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

const TF_NET = `resource "aws_vpc" "c" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "c" {
  vpc_id     = aws_vpc.c.id
  cidr_block = "10.1.1.0/24"
}
resource "aws_vpc" "p" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.p.id
  cidr_block = "10.0.1.0/24"
}
`;

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

/** The Terraform workspace: one root module in /ws. */
function tf(p: Parts = {}): Record<string, string> {
  return { '/ws/net.tf': TF_NET, '/ws/consumer.tf': tfConsumer(p), '/ws/provider.tf': tfProvider(p) };
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

/** The CloudFormation workspace: consumer and provider in one template. */
function cfn(p: Parts = {}): Record<string, string> {
  return { '/ws/stack.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${cfnConsumer(p)}${cfnProvider(p)}` };
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


interface FixCase {
  name: string;
  files: Record<string, string>;
  rule: string;
  /** The path's first hop label, and the hop the fix is about. */
  client: string;
  hop?: string;
  /** Which fix of the finding (by title) to apply; the preferred one when absent. */
  fixTitle?: RegExp;
  /** Text the fix must write (checks its style). */
  writes?: RegExp;
  /** Findings the fix is expected to bring about (PL003's new group still needs its ingress: PL002). */
  then?: string[];
}

function checkFix(c: FixCase): void {
  const r = analyzeFiles(c.files);
  assert.deepEqual(findingsOf(r.findings, 'parse-error'), [], 'the fixture parses');
  const fs = findingsOf(r.findings, c.rule);
  assert.ok(fs.length >= 1, `${c.rule} is reported: ${describe(r)}`);
  let files = c.files;
  // Apply the fix of every finding of the rule (one per port or protocol), each time on a fresh analysis.
  for (let i = 0; i < 4; i++) {
    const now = analyzeFiles(files);
    const f = findingsOf(now.findings, c.rule)[0];
    if (!f) break;
    const fix = c.fixTitle ? f.fixes.find((x) => c.fixTitle!.test(x.title)) : (f.fixes.find((x) => x.preferred) ?? f.fixes[0]);
    assert.ok(fix, `${c.rule} has a fix${c.fixTitle ? ` matching ${c.fixTitle}` : ''}: ${JSON.stringify(f.fixes.map((x) => x.title))}`);
    if (c.writes && i === 0) assert.match(fix.edits.map((e) => e.newText).join('\n'), c.writes);
    files = applyEdits(files, fix.edits);
  }
  const after = analyzeFiles(files);
  assert.deepEqual(findingsOf(after.findings, 'parse-error'), [], `no parse error after the fix:\n${Object.values(files).join('\n----\n')}`);
  assert.deepEqual(
    findingsOf(after.findings, c.rule).map((f) => f.message),
    [],
    `${c.rule} is gone after the fix:\n${Object.values(files).join('\n----\n')}`,
  );
  if (c.hop) assert.equal(hop(pathFrom(after, c.client), c.hop).verdict, 'open', describe(after));
  for (const t of c.then ?? []) assert.ok(findingsOf(after.findings, t).length > 0, `${t} after the fix`);
}

const TF_ENDPOINT_NO_SG = `
resource "aws_vpc_endpoint" "api" {
  vpc_id            = aws_vpc.c.id
  service_name      = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.c.id]
}`;

const CFN_ENDPOINT_NO_SG = cfnRes('Endpoint', 'AWS::EC2::VPCEndpoint', `      VpcId: !Ref ConsumerVpc
      VpcEndpointType: Interface
      ServiceName: !Sub "com.amazonaws.vpce.\${AWS::Region}.\${Service}"
      SubnetIds: [!Ref ConsumerSubnet]`);

const DECLARED_TF_CLIENT = `
# privatelink-lens: uses aws_vpc_endpoint.api
resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.client.id]
}`;

const DECLARED_CFN_CLIENT = `  # privatelink-lens: uses Endpoint
${cfnRes('Client', 'AWS::EC2::Instance', `      SubnetId: !Ref ConsumerSubnet
      SecurityGroupIds: [!GetAtt ClientSg.GroupId]`)}`;

function renameEndpointSg(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t.replace(/EndpointSg/g, 'ApiSg')]));
}

const CASES: FixCase[] = [
  // PL001: client egress.
  {
    name: 'Terraform PL001, group without rules: a standalone egress rule resource',
    files: tf({ clientSg: '', endpointSg: tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]') }),
    rule: 'PL001',
    client: 'aws_instance.client',
    hop: 'clientSg',
    writes: /resource "aws_vpc_security_group_egress_rule"[\s\S]*referenced_security_group_id = aws_security_group\.endpoint\.id/,
  },
  {
    name: 'Terraform PL001, group with inline rules: one more egress block',
    files: tf({ clientSg: tfBlock('egress', 80, 'security_groups = [aws_security_group.endpoint.id]') }),
    rule: 'PL001',
    client: 'aws_instance.client',
    hop: 'clientSg',
    writes: /\n  egress \{\n    description\s+= "PrivateLink to aws_vpc_endpoint\.api"/,
  },
  {
    name: 'CloudFormation PL001: a standalone SecurityGroupEgress to the endpoint group',
    files: cfn({ clientSg: `\n      SecurityGroupEgress:\n${cfnItem(80, 'CidrIp: 10.1.0.0/16')}` }),
    rule: 'PL001',
    client: 'Client',
    hop: 'clientSg',
    writes: /Type: AWS::EC2::SecurityGroupEgress[\s\S]*DestinationSecurityGroupId: !GetAtt EndpointSg\.GroupId/,
  },
  // PL002: endpoint ingress.
  {
    name: 'Terraform PL002: a standalone ingress rule resource',
    files: tf({ endpointSg: '' }),
    rule: 'PL002',
    client: 'aws_instance.client',
    hop: 'endpointSg',
    writes: /resource "aws_vpc_security_group_ingress_rule"/,
  },
  {
    name: 'CloudFormation PL002: a standalone SecurityGroupIngress from the client group',
    files: cfn({ endpointSg: '' }),
    rule: 'PL002',
    client: 'Client',
    hop: 'endpointSg',
    writes: /Type: AWS::EC2::SecurityGroupIngress[\s\S]*SourceSecurityGroupId: !GetAtt ClientSg\.GroupId/,
  },
  {
    name: 'CloudFormation PL002, CIDR-declared client and inline list: appended to the list',
    files: cfn({
      endpointSg: `\n      SecurityGroupIngress:\n${cfnItem(22, 'CidrIp: 10.9.0.0/16')}`,
      client: `  # privatelink-lens: uses Endpoint\n${cfnRes('Client', 'AWS::EC2::Instance', `      SubnetId: !Ref ConsumerSubnet
      SecurityGroupIds: [!GetAtt ClientSg.GroupId]`)}`,
      clientSg: `\n      SecurityGroupEgress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}`,
    }),
    rule: 'PL002',
    client: 'Client',
    hop: 'endpointSg',
  },
  // PL003: the endpoint falls back to the default SG.
  {
    // The client is declared, so that once the endpoint has its own (empty) group PL002 asks for the rule.
    name: 'Terraform PL003: a security group of its own for the endpoint',
    files: tf({ endpoint: TF_ENDPOINT_NO_SG, client: DECLARED_TF_CLIENT }),
    rule: 'PL003',
    client: 'aws_instance.client',
    writes: /security_group_ids = \[aws_security_group\.api_vpce\.id\]/,
    // The new group admits the known client, so the endpoint hop opens without a PL002 round trip.
    hop: 'endpointSg',
  },
  {
    // The consumer's other group is named ApiSg here, so that the name the fix picks (EndpointSg) is free.
    name: 'CloudFormation PL003: a security group of its own for the endpoint',
    files: renameEndpointSg(cfn({ endpoint: CFN_ENDPOINT_NO_SG, client: DECLARED_CFN_CLIENT })),
    rule: 'PL003',
    client: 'Client',
    writes: /Type: AWS::EC2::SecurityGroup/,
    hop: 'endpointSg',
  },
  // PL014: automatic acceptance.
  {
    name: 'Terraform PL014: acceptance_required = true',
    files: tf({
      service: `
resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.nlb.arn]
}`,
    }),
    rule: 'PL014',
    client: 'aws_instance.client',
    writes: /^true$/,
  },
  {
    name: 'CloudFormation PL014, AcceptanceRequired absent: the property is added',
    files: cfn({ service: cfnRes('Service', 'AWS::EC2::VPCEndpointService', '      NetworkLoadBalancerArns: [!Ref Nlb]') }),
    rule: 'PL014',
    client: 'Client',
    writes: /AcceptanceRequired: true/,
  },
  {
    name: 'CloudFormation PL014, AcceptanceRequired false: the value is replaced',
    files: cfn({ service: cfnRes('Service', 'AWS::EC2::VPCEndpointService', '      AcceptanceRequired: false\n      NetworkLoadBalancerArns: [!Ref Nlb]') }),
    rule: 'PL014',
    client: 'Client',
  },
  // PL021: the NLB group does not admit the consumers.
  {
    name: 'Terraform PL021: allow the consumer CIDR (inline block)',
    files: tf({ nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["192.168.0.0/16"]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') }),
    rule: 'PL021',
    client: 'aws_instance.client',
    hop: 'nlbSg',
    writes: /cidr_blocks\s*= \["10\.1\.1\.0\/24"\]/,
  },
  {
    name: 'Terraform PL021: turn PrivateLink inbound enforcement off',
    files: tf({ nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["192.168.0.0/16"]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') }),
    rule: 'PL021',
    client: 'aws_instance.client',
    hop: 'nlbSg',
    fixTitle: /PrivateLink/,
    writes: /enforce_security_group_inbound_rules_on_private_link_traffic = "off"/,
    then: ['PL023'],
  },
  {
    name: 'Terraform PL021, NLB group without rules: a standalone ingress rule with the consumer CIDR',
    files: tf({ nlbSg: '', providerExtra: `
resource "aws_vpc_security_group_egress_rule" "nlb_to_app" {
  security_group_id            = aws_security_group.nlb.id
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
}` }),
    rule: 'PL021',
    client: 'aws_instance.client',
    hop: 'nlbSg',
    writes: /resource "aws_vpc_security_group_ingress_rule"[\s\S]*cidr_ipv4\s*= "10\.1\.1\.0\/24"/,
  },
  {
    name: 'CloudFormation PL021: allow the consumer CIDR (appended to the inline list)',
    files: cfn({ nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 192.168.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}` }),
    rule: 'PL021',
    client: 'Client',
    hop: 'nlbSg',
    writes: /CidrIp: 10\.1\.1\.0\/24/,
  },
  {
    name: 'CloudFormation PL021: turn PrivateLink inbound enforcement off',
    files: cfn({ nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 192.168.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}` }),
    rule: 'PL021',
    client: 'Client',
    hop: 'nlbSg',
    fixTitle: /PrivateLink/,
    writes: /"off"/,
    then: ['PL023'],
  },
  // PL024: the NLB group does not reach the targets.
  {
    name: 'Terraform PL024: egress to the target group (inline block beside the ingress)',
    files: tf({ nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]') }),
    rule: 'PL024',
    client: 'aws_instance.client',
    hop: 'nlbSg',
    writes: /egress \{[\s\S]*security_groups = \[aws_security_group\.app\.id\]/,
  },
  {
    name: 'Terraform PL024 on the traffic and the health-check ports',
    files: tf({
      nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]'),
      appSg: tfBlock('ingress', [8000, 9000], 'security_groups = [aws_security_group.nlb.id]'),
      tg: `
resource "aws_lb_target_group" "app" {
  port     = 8443
  protocol = "TCP"
  vpc_id   = aws_vpc.p.id
  health_check {
    port = "8081"
  }
}`,
    }),
    rule: 'PL024',
    client: 'aws_instance.client',
    hop: 'nlbSg',
  },
  {
    name: 'CloudFormation PL024: a standalone SecurityGroupEgress to the target group',
    files: cfn({ nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(80, 'CidrIp: 10.0.0.0/16')}` }),
    rule: 'PL024',
    client: 'Client',
    hop: 'nlbSg',
    writes: /Type: AWS::EC2::SecurityGroupEgress[\s\S]*DestinationSecurityGroupId: !GetAtt AppSg\.GroupId/,
  },
  // PL025: the target group does not admit the NLB.
  {
    name: 'Terraform PL025: a standalone ingress rule from the NLB group',
    files: tf({ appSg: '' }),
    rule: 'PL025',
    client: 'aws_instance.client',
    hop: 'targetSg',
    writes: /resource "aws_vpc_security_group_ingress_rule"[\s\S]*referenced_security_group_id = aws_security_group\.nlb\.id/,
  },
  {
    name: 'Terraform PL025, NLB without groups: the NLB subnet CIDR',
    files: tf({ appSg: '', nlbSg: '', lb: `
resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.p.id]
}` }),
    rule: 'PL025',
    client: 'aws_instance.client',
    hop: 'targetSg',
    writes: /cidr_ipv4\s*= "10\.0\.1\.0\/24"/,
  },
  {
    name: 'CloudFormation PL025: a standalone SecurityGroupIngress from the NLB group',
    files: cfn({ appSg: `\n      SecurityGroupIngress:\n${cfnItem(9000, 'CidrIp: 10.0.0.0/16')}` }),
    rule: 'PL025',
    client: 'Client',
    hop: 'targetSg',
    writes: /Type: AWS::EC2::SecurityGroupIngress[\s\S]*SourceSecurityGroupId: !GetAtt NlbSg\.GroupId/,
  },
  {
    name: 'CloudFormation PL025 on the health-check port',
    files: cfn({
      tg: cfnRes('Tg', 'AWS::ElasticLoadBalancingV2::TargetGroup', `      Port: 8443
      Protocol: TCP
      VpcId: !Ref ProviderVpc
      HealthCheckPort: "8081"
      Targets:
        - Id: !Ref App`),
      nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}`,
    }),
    rule: 'PL025',
    client: 'Client',
    hop: 'targetSg',
    writes: /FromPort: 8081/,
  },
];

for (const c of CASES) test(c.name, () => checkFix(c));

test('CloudFormation PL003 fix picks a logical id that is not taken', () => {
  // The template already has an EndpointSg (not attached to the endpoint): the new group needs another name.
  const files = cfn({ endpoint: CFN_ENDPOINT_NO_SG });
  const f = findingsOf(analyzeFiles(files).findings, 'PL003').find((x) => x.fixes.length > 0);
  assert.ok(f, 'PL003 has a fix');
  const fixed = applyEdits(files, f.fixes[0].edits);
  const text = fixed['/ws/stack.yaml'];
  assert.equal(text.match(/^  EndpointSg:$/gm)?.length, 1, text);
  assert.deepEqual(findingsOf(analyzeFiles(fixed).findings, 'parse-error'), []);
});

test('PL021 and PL022 offer two fixes: the consumer CIDR (preferred) and enforcement off', () => {
  const r = analyzeFiles(tf({ nlbSg: tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') }));
  const pl022 = findingsOf(r.findings, 'PL022');
  assert.equal(pl022.length, 1);
  assert.equal(pl022[0].fixes.length, 2);
  assert.equal(pl022[0].fixes.filter((f) => f.preferred).length, 1);
  assert.match(pl022[0].fixes.find((f) => f.preferred)!.title, /10\.1\.1\.0\/24/);
  const fixed = analyzeFiles(applyEdits(tf({ nlbSg: tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') }), pl022[0].fixes.find((f) => f.preferred)!.edits));
  assert.deepEqual(findingsOf(fixed.findings, 'PL022'), []);
  assert.deepEqual(findingsOf(fixed.findings, 'PL021'), []);
  allOpen(pathFrom(fixed, 'aws_instance.client'));
});

test('CloudFormation PL022: the preferred fix replaces the group reference with the consumer CIDR', () => {
  const files = cfn({ nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId')}\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}` });
  const pl022 = findingsOf(analyzeFiles(files).findings, 'PL022');
  assert.equal(pl022.length, 1);
  const fix = pl022[0].fixes.find((f) => f.preferred);
  assert.ok(fix, JSON.stringify(pl022[0].fixes.map((f) => f.title)));
  const fixed = applyEdits(files, fix.edits);
  const after = analyzeFiles(fixed);
  assert.deepEqual(findingsOf(after.findings, 'parse-error'), []);
  assert.deepEqual(findingsOf(after.findings, 'PL022'), []);
  assert.deepEqual(findingsOf(after.findings, 'PL021'), []);
  allOpen(pathFrom(after, 'Client'));
});
