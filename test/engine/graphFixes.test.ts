import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits, findingsOf } from './helpers';
import { tfBlock, tf, cfnRes, cfnItem, cfn, pathFrom, hop, describe, allOpen, TF_ENDPOINT_NO_SG } from './graphWorld';

/**
 * Quick fixes of the path rules that have them (PL001, PL002, PL003, PL014, PL021, PL024, PL025), in
 * Terraform and CloudFormation: each fix, applied with `applyEdits`, removes its finding, leaves the files
 * parseable, and opens the hop it was about.
 */

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
