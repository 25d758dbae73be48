import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';
import { type Parts, tfBlock, tf, cfnRes, cfnItem, cfn, pathFrom, hop, describe, allOpen } from './graphWorld';

/**
 * Hop verdicts (privatelink.md E0 `allows()`, A4): PrivateLink inbound enforcement, security-group
 * references at the NLB, NLBs without groups, CIDR containment, protocols and port ranges, TCP_UDP and UDP
 * listeners, and that every blocking hop is reported.
 */

const TF_NLB_EGRESS = tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]');
const CFN_NLB_EGRESS = `\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}`;

function tfLb(extra: string, sgs = '[aws_security_group.nlb.id]'): string {
  return `
resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.p.id]${sgs ? `\n  security_groups    = ${sgs}` : ''}${extra}
}`;
}

function cfnLb(extra: string, sgs = '[!GetAtt NlbSg.GroupId]'): string {
  return cfnRes('Nlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', `      Type: network
      Scheme: internal
      Subnets: [!Ref ProviderSubnet]${sgs ? `\n      SecurityGroups: ${sgs}` : ''}${extra}`);
}

// ---------------------------------------------------------------------------------------------------------
// PrivateLink inbound enforcement (A4.4, A4.5).

test('Terraform enforcement off: the NLB SG ingress is not checked (open + PL023), its egress still is', () => {
  const lb = tfLb('\n  enforce_security_group_inbound_rules_on_private_link_traffic = "off"');
  // The NLB group admits nothing at all.
  const r = analyzeFiles(tf({ lb, nlbSg: TF_NLB_EGRESS }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.ok(hop(p, 'nlbSg').reasons.some((x) => x.ruleId === 'PL023'));
  const pl023 = findingsOf(r.findings, 'PL023');
  assert.equal(pl023.length, 1);
  assert.equal(pl023[0].severity, 'info');
  assert.deepEqual(findingsOf(r.findings, 'PL021'), []);
  // Enforcement on (the default): the same group blocks.
  const on = analyzeFiles(tf({ nlbSg: TF_NLB_EGRESS }));
  assert.equal(hop(pathFrom(on, 'aws_instance.client'), 'nlbSg').verdict, 'blocked');
  assert.equal(findingsOf(on.findings, 'PL021').length, 1);
  // Off does not excuse the egress to the targets.
  const noEgress = analyzeFiles(tf({ lb, nlbSg: '' }));
  assert.equal(hop(pathFrom(noEgress, 'aws_instance.client'), 'nlbSg').verdict, 'blocked');
  assert.equal(findingsOf(noEgress.findings, 'PL024').length, 1);
  assert.deepEqual(findingsOf(noEgress.findings, 'PL021'), []);
});

test('CloudFormation enforcement off: the NLB SG ingress is not checked (open + PL023)', () => {
  const lb = cfnLb('\n      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off"');
  const r = analyzeFiles(cfn({ lb, nlbSg: CFN_NLB_EGRESS }));
  allOpen(pathFrom(r, 'Client'));
  assert.equal(findingsOf(r.findings, 'PL023').length, 1);
  assert.deepEqual(findingsOf(r.findings, 'PL021'), []);
  const on = analyzeFiles(cfn({ lb: cfnLb('\n      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "on"'), nlbSg: CFN_NLB_EGRESS }));
  assert.equal(findingsOf(on.findings, 'PL021').length, 1);
});

test('Terraform NLB SG that references the consumer SG: PL022, not PL021', () => {
  const nlbSg = tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]') + TF_NLB_EGRESS;
  const r = analyzeFiles(tf({ nlbSg }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'nlbSg').verdict, 'blocked');
  assert.deepEqual(
    hop(p, 'nlbSg').reasons.map((x) => x.ruleId),
    ['PL022'],
  );
  const pl022 = findingsOf(r.findings, 'PL022');
  assert.equal(pl022.length, 1);
  assert.equal(pl022[0].severity, 'error');
  assert.match(pl022[0].message, /aws_security_group\.client/);
  assert.deepEqual(findingsOf(r.findings, 'PL021'), []);
  // The same reference by aws_vpc_security_group_ingress_rule.
  const rule = analyzeFiles(
    tf({
      nlbSg: TF_NLB_EGRESS,
      providerExtra: `
resource "aws_vpc_security_group_ingress_rule" "nlb_from_client" {
  security_group_id            = aws_security_group.nlb.id
  referenced_security_group_id = aws_security_group.client.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}`,
    }),
  );
  assert.equal(findingsOf(rule.findings, 'PL022').length, 1);
  assert.deepEqual(findingsOf(rule.findings, 'PL021'), []);
  // With enforcement off the reference is harmless.
  const off = analyzeFiles(tf({ nlbSg, lb: tfLb('\n  enforce_security_group_inbound_rules_on_private_link_traffic = "off"') }));
  assert.deepEqual(findingsOf(off.findings, 'PL022'), []);
  allOpen(pathFrom(off, 'aws_instance.client'));
});

test('CloudFormation NLB SG with SourceSecurityGroupId of the consumer SG: PL022, not PL021', () => {
  const nlbSg = `\n      SecurityGroupIngress:\n${cfnItem(443, 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId')}${CFN_NLB_EGRESS}`;
  const r = analyzeFiles(cfn({ nlbSg }));
  assert.equal(hop(pathFrom(r, 'Client'), 'nlbSg').verdict, 'blocked');
  assert.equal(findingsOf(r.findings, 'PL022').length, 1);
  assert.deepEqual(findingsOf(r.findings, 'PL021'), []);
});

test('NLB without security groups: nlbSg open + PL020; the target SG must admit the NLB subnets', () => {
  const appSg = (cidr: string) => tfBlock('ingress', 8443, `cidr_blocks = ["${cidr}"]`);
  const r = analyzeFiles(tf({ lb: tfLb('', ''), nlbSg: '', appSg: appSg('10.0.1.0/24') }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'nlbSg').label, '(no security groups)');
  const pl020 = findingsOf(r.findings, 'PL020');
  assert.equal(pl020.length, 1);
  assert.equal(pl020[0].severity, 'warning');
  const other = analyzeFiles(tf({ lb: tfLb('', ''), nlbSg: '', appSg: appSg('10.0.2.0/24') }));
  assert.equal(hop(pathFrom(other, 'aws_instance.client'), 'targetSg').verdict, 'blocked');
  assert.match(findingsOf(other.findings, 'PL025')[0]?.message ?? '', /TCP 8443/);
  // CloudFormation: SecurityGroups absent.
  const c = analyzeFiles(cfn({ lb: cfnLb('', ''), appSg: `\n      SecurityGroupIngress:\n${cfnItem(8443, 'CidrIp: 10.0.1.0/24')}` }));
  const cp = pathFrom(c, 'Client');
  allOpen(cp);
  assert.equal(hop(cp, 'nlbSg').label, '(no security groups)');
  assert.equal(findingsOf(c.findings, 'PL020').length, 1);
});

// ---------------------------------------------------------------------------------------------------------
// CIDR containment: a rule admits a peer when its CIDR covers all of the peer's addresses.

test('IPv4 CIDR containment at the NLB: 10.1.0.0/16 and 10.1.1.0/24 cover the client subnet, 10.1.1.0/25 does not', () => {
  const nlbSg = (cidr: string) => tfBlock('ingress', 443, `cidr_blocks = ["${cidr}"]`) + TF_NLB_EGRESS;
  for (const cidr of ['10.1.0.0/16', '10.1.1.0/24', '10.0.0.0/8', '0.0.0.0/0']) {
    assert.equal(hop(pathFrom(analyzeFiles(tf({ nlbSg: nlbSg(cidr) })), 'aws_instance.client'), 'nlbSg').verdict, 'open', cidr);
  }
  for (const cidr of ['10.1.1.0/25', '10.1.1.128/25', '10.1.2.0/24', '10.2.0.0/16']) {
    const r = analyzeFiles(tf({ nlbSg: nlbSg(cidr) }));
    assert.equal(hop(pathFrom(r, 'aws_instance.client'), 'nlbSg').verdict, 'blocked', cidr);
    assert.equal(findingsOf(r.findings, 'PL021').length, 1, cidr);
  }
  // An IPv6 rule does not admit an IPv4 client.
  const v6 = analyzeFiles(tf({ nlbSg: tfBlock('ingress', 443, 'ipv6_cidr_blocks = ["::/0"]') + TF_NLB_EGRESS }));
  assert.equal(hop(pathFrom(v6, 'aws_instance.client'), 'nlbSg').verdict, 'blocked');
  const cfnNlb = (cidr: string) => `\n      SecurityGroupIngress:\n${cfnItem(443, `CidrIp: ${cidr}`)}${CFN_NLB_EGRESS}`;
  assert.equal(hop(pathFrom(analyzeFiles(cfn({ nlbSg: cfnNlb('10.1.0.0/16') })), 'Client'), 'nlbSg').verdict, 'open');
  assert.equal(hop(pathFrom(analyzeFiles(cfn({ nlbSg: cfnNlb('10.1.1.0/25') })), 'Client'), 'nlbSg').verdict, 'blocked');
});

test('IPv4 CIDR containment on the client egress (to the endpoint subnets) and the endpoint ingress (from the client subnets)', () => {
  const clientSg = (cidr: string) => tfBlock('egress', 443, `cidr_blocks = ["${cidr}"]`);
  const endpointSg = (cidr: string) => tfBlock('ingress', 443, `cidr_blocks = ["${cidr}"]`);
  // Neither group names the other: the client is declared.
  const client = `
# privatelink-lens: uses aws_vpc_endpoint.api
resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.client.id]
}`;
  const r = analyzeFiles(tf({ client, clientSg: clientSg('10.1.0.0/16'), endpointSg: endpointSg('10.1.1.0/24') }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const b = analyzeFiles(tf({ client, clientSg: clientSg('10.1.1.0/25'), endpointSg: endpointSg('10.1.1.0/25') }));
  const bp = pathFrom(b, 'aws_instance.client');
  assert.equal(hop(bp, 'clientSg').verdict, 'blocked');
  assert.equal(hop(bp, 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL001').length, 1);
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('a client in two subnets is admitted when every subnet is covered by some rule (rules are a union)', () => {
  // An ASG across two subnets; the NLB group lists both subnet CIDRs (one rule per CIDR in AWS). Each instance
  // is in one subnet and one rule admits it: nobody is blocked.
  const client = `
resource "aws_subnet" "c2" {
  vpc_id     = aws_vpc.c.id
  cidr_block = "10.1.2.0/24"
}

resource "aws_launch_template" "client" {
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_autoscaling_group" "client" {
  min_size            = 2
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.c.id, aws_subnet.c2.id]
  launch_template {
    id = aws_launch_template.client.id
  }
}`;
  const nlbSg = (cidrs: string) => tfBlock('ingress', 443, `cidr_blocks = [${cidrs}]`) + TF_NLB_EGRESS;
  const both = analyzeFiles(tf({ client, nlbSg: nlbSg('"10.1.1.0/24", "10.1.2.0/24"') }));
  const p = pathFrom(both, 'aws_autoscaling_group.client');
    assert.equal(hop(p, 'nlbSg').verdict, 'open', describe(both));
    assert.deepEqual(findingsOf(both.findings, 'PL021'), []);
  // One subnet left out: blocked, and the message names the consumers.
  const one = analyzeFiles(tf({ client, nlbSg: nlbSg('"10.1.1.0/24"') }));
  assert.equal(hop(pathFrom(one, 'aws_autoscaling_group.client'), 'nlbSg').verdict, 'blocked');
  assert.equal(findingsOf(one.findings, 'PL021').length, 1);
  // The same on the client egress: an endpoint in two subnets, one egress rule per endpoint subnet.
  const endpoint = `
resource "aws_subnet" "c3" {
  vpc_id     = aws_vpc.c.id
  cidr_block = "10.1.3.0/24"
}

resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id, aws_subnet.c3.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  const clientSg = tfBlock('egress', 443, 'cidr_blocks = ["10.1.1.0/24"]') + tfBlock('egress', 443, 'cidr_blocks = ["10.1.3.0/24"]');
  const egress = analyzeFiles(tf({ endpoint, clientSg }));
  assert.equal(hop(pathFrom(egress, 'aws_instance.client'), 'clientSg').verdict, 'open', describe(egress));
  assert.deepEqual(findingsOf(egress.findings, 'PL001'), []);
});

// ---------------------------------------------------------------------------------------------------------
// Protocols and ports.

test('protocol -1 (all) admits every port; port ranges admit the ports inside them only', () => {
  const endpointSg = (port: number | [number, number], proto: string) => tfBlock('ingress', port, 'security_groups = [aws_security_group.client.id]', proto);
  const verdict = (p: Parts) => hop(pathFrom(analyzeFiles(tf(p)), 'aws_instance.client'), 'endpointSg').verdict;
  assert.equal(verdict({ endpointSg: endpointSg([0, 0], '-1') }), 'open');
  assert.equal(verdict({ endpointSg: endpointSg([0, 0], 'all') }), 'open');
  assert.equal(verdict({ endpointSg: endpointSg([400, 500], 'tcp') }), 'open');
  assert.equal(verdict({ endpointSg: endpointSg([443, 443], '6') }), 'open');
  assert.equal(verdict({ endpointSg: endpointSg([0, 65535], 'tcp') }), 'open');
  assert.equal(verdict({ endpointSg: endpointSg([444, 500], 'tcp') }), 'blocked');
  assert.equal(verdict({ endpointSg: endpointSg([1, 442], 'tcp') }), 'blocked');
  // CloudFormation: IpProtocol -1 (ports ignored), and a range.
  const cfnVerdict = (item: string) =>
    hop(pathFrom(analyzeFiles(cfn({ endpointSg: `\n      SecurityGroupIngress:\n${item}` })), 'Client'), 'endpointSg').verdict;
  assert.equal(cfnVerdict(cfnItem([-1, -1], 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId', '"-1"')), 'open');
  assert.equal(cfnVerdict(cfnItem([1024, 1024], 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId', '-1')), 'open');
  assert.equal(cfnVerdict(cfnItem([1, 1023], 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId')), 'open');
  assert.equal(cfnVerdict(cfnItem([444, 1023], 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId')), 'blocked');
});

test('a client SG that allows only UDP is blocked for a TCP listener (PL001)', () => {
  const r = analyzeFiles(tf({ clientSg: tfBlock('egress', 443, 'security_groups = [aws_security_group.endpoint.id]', 'udp') }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'clientSg').verdict, 'blocked');
  const pl001 = findingsOf(r.findings, 'PL001');
  assert.equal(pl001.length, 1);
  assert.match(pl001[0].message, /TCP 443/);
  const c = analyzeFiles(cfn({ clientSg: `\n      SecurityGroupEgress:\n${cfnItem(443, 'DestinationSecurityGroupId: !GetAtt EndpointSg.GroupId', 'udp')}` }));
  assert.equal(hop(pathFrom(c, 'Client'), 'clientSg').verdict, 'blocked');
  assert.equal(findingsOf(c.findings, 'PL001').length, 1);
});

/** A TCP_UDP (or UDP) listener and target group; health checks over TCP on 8081. */
function tfProto(listenerProto: string): Parts {
  return {
    listener: `
resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "${listenerProto}"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}`,
    tg: `
resource "aws_lb_target_group" "app" {
  port     = 8443
  protocol = "${listenerProto}"
  vpc_id   = aws_vpc.p.id
  health_check {
    protocol = "TCP"
    port     = "8081"
  }
}`,
  };
}

/** Every group allows `proto` on the path's ports, and TCP 8081 for health checks. */
function tfGroups(proto: string): Parts {
  return {
    clientSg: tfBlock('egress', 443, 'security_groups = [aws_security_group.endpoint.id]', proto),
    endpointSg: tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]', proto),
    nlbSg:
      tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]', proto) +
      tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]', proto) +
      tfBlock('egress', 8081, 'security_groups = [aws_security_group.app.id]'),
    appSg: tfBlock('ingress', 8443, 'security_groups = [aws_security_group.nlb.id]', proto) + tfBlock('ingress', 8081, 'security_groups = [aws_security_group.nlb.id]'),
  };
}

test('TCP_UDP listener: every group must allow both protocols on the consumer side', () => {
  const all = analyzeFiles(tf({ ...tfProto('TCP_UDP'), ...tfGroups('-1') }));
  const p = pathFrom(all, 'aws_instance.client');
  assert.equal(p.port, 'TCP+UDP 443');
  allOpen(p);
  const tcpOnly = analyzeFiles(tf({ ...tfProto('TCP_UDP'), ...tfGroups('tcp') }));
  const tp = pathFrom(tcpOnly, 'aws_instance.client');
  for (const kind of ['clientSg', 'endpointSg', 'nlbSg']) assert.equal(hop(tp, kind).verdict, 'blocked', kind);
  for (const rule of ['PL001', 'PL002', 'PL021']) {
    const fs = findingsOf(tcpOnly.findings, rule);
    assert.equal(fs.length, 1, rule);
    assert.match(fs[0].message, /UDP 443/, rule);
  }
});

test('TCP_UDP listener: the NLB egress and the target SG must allow UDP on the traffic port too', () => {
  // Consumer side and NLB ingress allow everything; the NLB egress and the target ingress allow TCP only.
  const nlbSg =
    tfBlock('ingress', [0, 0], 'cidr_blocks = ["10.1.0.0/16"]', '-1') +
    tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') +
    tfBlock('egress', 8081, 'security_groups = [aws_security_group.app.id]');
  const tcpOnly = analyzeFiles(tf({ ...tfProto('TCP_UDP'), ...tfGroups('-1'), nlbSg, appSg: tfGroups('tcp').appSg }));
  const p = pathFrom(tcpOnly, 'aws_instance.client');
  assert.equal(hop(p, 'nlbSg').verdict, 'blocked', describe(tcpOnly));
  assert.equal(hop(p, 'targetSg').verdict, 'blocked', describe(tcpOnly));
  assert.match(findingsOf(tcpOnly.findings, 'PL024')[0]?.message ?? '', /UDP 8443/);
  assert.match(findingsOf(tcpOnly.findings, 'PL025')[0]?.message ?? '', /UDP 8443/);
});

test('UDP listener: groups that allow UDP on the traffic port and TCP on the health-check port are open', () => {
  const r = analyzeFiles(tf({ ...tfProto('UDP'), ...tfGroups('udp') }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(p.port, 'UDP 443');
  allOpen(p);
  assert.deepEqual(findingsOf(r.findings, 'PL024'), []);
  assert.deepEqual(findingsOf(r.findings, 'PL025'), []);
});

// ---------------------------------------------------------------------------------------------------------
// Every blocking hop is reported, not only the first.

test('Terraform: every blocking hop is listed with its finding', () => {
  const r = analyzeFiles(
    tf({
      clientSg: tfBlock('egress', 80, 'security_groups = [aws_security_group.endpoint.id]'),
      endpointSg: '',
      nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["192.168.0.0/16"]'),
      appSg: tfBlock('ingress', 9000, 'security_groups = [aws_security_group.nlb.id]'),
    }),
  );
  const p = pathFrom(r, 'aws_instance.client');
  assert.deepEqual(
    p.hops.filter((h) => h.verdict === 'blocked').map((h) => h.kind),
    ['clientSg', 'endpointSg', 'nlbSg', 'targetSg'],
  );
  assert.deepEqual(
    hop(p, 'nlbSg').reasons.map((x) => x.ruleId),
    ['PL021', 'PL024'],
  );
  for (const rule of ['PL001', 'PL002', 'PL021', 'PL024', 'PL025']) assert.equal(findingsOf(r.findings, rule).length, 1, rule);
  assert.equal(p.verdict, 'blocked');
});

test('CloudFormation: every blocking hop is listed with its finding', () => {
  const r = analyzeFiles(
    cfn({
      clientSg: `\n      SecurityGroupEgress:\n${cfnItem(80, 'CidrIp: 0.0.0.0/0')}`,
      endpointSg: `\n      SecurityGroupIngress:\n${cfnItem(22, 'SourceSecurityGroupId: !GetAtt ClientSg.GroupId')}`,
      nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 192.168.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(80, 'CidrIp: 10.0.0.0/16')}`,
      appSg: `\n      SecurityGroupIngress:\n${cfnItem(9000, 'CidrIp: 10.0.0.0/16')}`,
    }),
  );
  const p = pathFrom(r, 'Client');
  assert.deepEqual(
    p.hops.filter((h) => h.verdict === 'blocked').map((h) => h.kind),
    ['clientSg', 'endpointSg', 'nlbSg', 'targetSg'],
  );
  for (const rule of ['PL001', 'PL002', 'PL021', 'PL024', 'PL025']) assert.equal(findingsOf(r.findings, rule).length, 1, rule);
});
