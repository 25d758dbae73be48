import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';
import { type Parts, tfBlock, tf, cfnRes, cfnItem, cfn, type Result, pathFrom, hop, describe, allOpen, TF_ENDPOINT_NO_SG } from './graphWorld';

/**
 * Effective security-group rules (privatelink.md E0 `eff_ingress` / `eff_egress`, A1, B3, B6, C3): every
 * syntax that declares a rule, the defaults each language applies, the VPC default SG, and prefix lists.
 * Each form is checked where it decides a hop: open as written, blocked when its port is changed.
 */

/** Client egress and endpoint ingress both removed from the groups, for tests that add rules elsewhere. */
const NO_RULES: Parts = { clientSg: '', endpointSg: '' };

// ---------------------------------------------------------------------------------------------------------
// Terraform rule forms.

test('Terraform aws_security_group_rule: ingress and egress with source_security_group_id', () => {
  const rules = (port: number) => `
resource "aws_security_group_rule" "client_to_endpoint" {
  type                     = "egress"
  security_group_id        = aws_security_group.client.id
  from_port                = 443
  to_port                  = 443
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.endpoint.id
}

resource "aws_security_group_rule" "endpoint_from_client" {
  type                     = "ingress"
  security_group_id        = aws_security_group.endpoint.id
  from_port                = ${port}
  to_port                  = ${port}
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.client.id
}`;
  const r = analyzeFiles(tf({ ...NO_RULES, consumerExtra: rules(443) }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const b = analyzeFiles(tf({ ...NO_RULES, consumerExtra: rules(80) }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('Terraform aws_security_group_rule: cidr_blocks on the NLB group, ingress and egress', () => {
  const rules = (ingressCidr: string) => `
resource "aws_security_group_rule" "nlb_in" {
  type              = "ingress"
  security_group_id = aws_security_group.nlb.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["${ingressCidr}"]
}

resource "aws_security_group_rule" "nlb_out" {
  type              = "egress"
  security_group_id = aws_security_group.nlb.id
  from_port         = 8443
  to_port           = 8443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.1.0/24"]
}`;
  const r = analyzeFiles(tf({ nlbSg: '', providerExtra: rules('10.1.0.0/16') }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const b = analyzeFiles(tf({ nlbSg: '', providerExtra: rules('10.2.0.0/16') }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'nlbSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL021').length, 1);
});

test('Terraform aws_security_group_rule self = true: a group shared by the client and the endpoint', () => {
  const shared = (port: number) => `
resource "aws_security_group" "shared" {
  vpc_id = aws_vpc.c.id
}

resource "aws_security_group_rule" "shared_in" {
  type              = "ingress"
  security_group_id = aws_security_group.shared.id
  from_port         = ${port}
  to_port           = ${port}
  protocol          = "tcp"
  self              = true
}

resource "aws_security_group_rule" "shared_out" {
  type              = "egress"
  security_group_id = aws_security_group.shared.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  self              = true
}`;
  const client = `
resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.shared.id]
}`;
  const endpoint = `
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.shared.id]
}`;
  const r = analyzeFiles(tf({ ...NO_RULES, client, endpoint, consumerExtra: shared(443) }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'clientSg').label, 'aws_security_group.shared');
  assert.equal(hop(p, 'endpointSg').label, 'aws_security_group.shared');
  const b = analyzeFiles(tf({ ...NO_RULES, client, endpoint, consumerExtra: shared(80) }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('Terraform inline self = true (endpoint SG) and security_groups (client SG)', () => {
  // The client is in two groups: its own, and the endpoint's, whose inline self rule admits members.
  const client = `
resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.client.id, aws_security_group.endpoint.id]
}`;
  const r = analyzeFiles(tf({ client, endpointSg: tfBlock('ingress', 443, 'self = true') }));
  assert.equal(hop(pathFrom(r, 'aws_instance.client'), 'endpointSg').verdict, 'open', describe(r));
  const b = analyzeFiles(tf({ client, endpointSg: tfBlock('ingress', 8443, 'self = true') }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
});

test('Terraform aws_vpc_security_group_ingress_rule / _egress_rule: referenced_security_group_id, cidr_ipv4, ip_protocol -1', () => {
  const consumer = (port: number) => `
resource "aws_vpc_security_group_egress_rule" "client_to_endpoint" {
  security_group_id            = aws_security_group.client.id
  referenced_security_group_id = aws_security_group.endpoint.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_ingress_rule" "endpoint_from_client" {
  security_group_id            = aws_security_group.endpoint.id
  referenced_security_group_id = aws_security_group.client.id
  ip_protocol                  = "tcp"
  from_port                    = ${port}
  to_port                      = ${port}
}`;
  const provider = `
resource "aws_vpc_security_group_ingress_rule" "nlb_from_consumers" {
  security_group_id = aws_security_group.nlb.id
  cidr_ipv4         = "10.1.0.0/16"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "nlb_to_app" {
  security_group_id            = aws_security_group.nlb.id
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "app_from_nlb" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "10.0.1.0/24"
  ip_protocol       = "-1"
}`;
  const r = analyzeFiles(tf({ ...NO_RULES, nlbSg: '', appSg: '', consumerExtra: consumer(443), providerExtra: provider }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const b = analyzeFiles(tf({ ...NO_RULES, nlbSg: '', appSg: '', consumerExtra: consumer(444), providerExtra: provider }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('Terraform dynamic ingress/egress blocks are expanded', () => {
  const dyn = (ports: string) => `
  dynamic "ingress" {
    for_each = ${ports}
    content {
      from_port       = ingress.value
      to_port         = ingress.value
      protocol        = "tcp"
      security_groups = [aws_security_group.client.id]
    }
  }`;
  const clientSg = `
  dynamic "egress" {
    for_each = { api = 443 }
    content {
      description     = egress.key
      from_port       = egress.value
      to_port         = egress.value
      protocol        = "tcp"
      security_groups = [aws_security_group.endpoint.id]
    }
  }`;
  const r = analyzeFiles(tf({ clientSg, endpointSg: dyn('[22, 443]') }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const b = analyzeFiles(tf({ clientSg, endpointSg: dyn('[22, 80]') }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('Terraform for_each rule resources over a local map', () => {
  const rules = (port: number) => `
locals {
  endpoint_rules = {
    https = { port = ${port}, peer = aws_security_group.client.id }
    ssh   = { port = 22, peer = aws_security_group.client.id }
  }
}

resource "aws_vpc_security_group_ingress_rule" "endpoint" {
  for_each                     = local.endpoint_rules
  security_group_id            = aws_security_group.endpoint.id
  referenced_security_group_id = each.value.peer
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = each.key
}

resource "aws_security_group_rule" "client" {
  for_each                 = toset(["443"])
  type                     = "egress"
  security_group_id        = aws_security_group.client.id
  source_security_group_id = aws_security_group.endpoint.id
  protocol                 = "tcp"
  from_port                = each.value
  to_port                  = each.value
}`;
  const r = analyzeFiles(tf({ ...NO_RULES, consumerExtra: rules(443) }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const b = analyzeFiles(tf({ ...NO_RULES, consumerExtra: rules(8080) }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('Terraform registry module terraform-aws-modules/security-group: ingress_with_source_security_group_id and ingress_with_cidr_blocks', () => {
  // The module creates its group without inline rules; rules come from the inputs (B6).
  const consumer = (port: number) => `
module "endpoint_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"
  name    = "endpoint"
  vpc_id  = aws_vpc.c.id
  ingress_with_source_security_group_id = [
    {
      from_port                = ${port}
      to_port                  = ${port}
      protocol                 = "tcp"
      source_security_group_id = aws_security_group.client.id
    },
  ]
}`;
  const clientSg = tfBlock('egress', 443, 'security_groups = [module.endpoint_sg.security_group_id]');
  const endpoint = `
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [module.endpoint_sg.security_group_id]
}`;
  const nlb = (cidrs: string) => `
module "nlb_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  name    = "nlb"
  vpc_id  = aws_vpc.p.id
  ingress_with_cidr_blocks = [
    {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = "${cidrs}"
    },
  ]
  egress_with_source_security_group_id = [
    {
      rule                     = "https-8443-tcp"
      source_security_group_id = aws_security_group.app.id
    },
  ]
}`;
  const lb = `
resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  subnets            = [aws_subnet.p.id]
  security_groups    = [module.nlb_sg.security_group_id]
}`;
  const appSg = tfBlock('ingress', 8443, 'security_groups = [module.nlb_sg.security_group_id]');
  const parts = (port: number, cidrs: string): Parts => ({ clientSg, endpoint, lb, appSg, consumerExtra: consumer(port), providerExtra: nlb(cidrs) });
  const r = analyzeFiles(tf(parts(443, '10.9.0.0/16,10.1.0.0/16')));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.match(hop(p, 'endpointSg').label, /^module\.endpoint_sg\.aws_security_group\./);
  assert.match(hop(p, 'nlbSg').label, /^module\.nlb_sg\.aws_security_group\./);
  const b = analyzeFiles(tf(parts(80, '10.9.0.0/16')));
  const bp = pathFrom(b, 'aws_instance.client');
  assert.equal(hop(bp, 'endpointSg').verdict, 'blocked');
  assert.equal(hop(bp, 'nlbSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
  assert.equal(findingsOf(b.findings, 'PL021').length, 1);
});

test('Terraform registry module vpc/aws//modules/vpc-endpoints: create_security_group with security_group_rules', () => {
  // security_group_rules default to ingress TCP 443 (B6).
  const endpoint = (rule: string) => `
module "endpoints" {
  source                = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  vpc_id                = aws_vpc.c.id
  subnet_ids            = [aws_subnet.c.id]
  create_security_group = true
  security_group_rules = {
    clients = {
      ${rule}
    }
  }
  endpoints = {
    api = {
      service_endpoint = aws_vpc_endpoint_service.api.service_name
    }
  }
}`;
  const clientSg = tfBlock('egress', 443, 'security_groups = [module.endpoints.security_group_id]');
  const address = 'module.endpoints.aws_vpc_endpoint.this["api"]';
  const r = analyzeFiles(tf({ clientSg, endpoint: endpoint('source_security_group_id = aws_security_group.client.id') }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'endpoint').label, address);
  assert.match(hop(p, 'endpointSg').label, /^module\.endpoints\.aws_security_group\.this/);
  const b = analyzeFiles(tf({ clientSg, endpoint: endpoint('source_security_group_id = aws_security_group.client.id\n      from_port = 8443\n      to_port = 8443') }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

// ---------------------------------------------------------------------------------------------------------
// CloudFormation rule forms and its default egress.

test('CloudFormation inline SecurityGroupIngress / SecurityGroupEgress lists', () => {
  // Inline lists everywhere; the endpoint admits the consumer CIDR, so no two groups name each other inline.
  const endpointSg = (cidr: string) => `\n      SecurityGroupIngress:\n${cfnItem(443, `CidrIp: ${cidr}`)}`;
  const appSg = `\n      SecurityGroupIngress:\n${cfnItem(8443, 'CidrIp: 10.0.1.0/24')}`;
  const r = analyzeFiles(cfn({ endpointSg: endpointSg('10.1.0.0/16'), appSg }));
  allOpen(pathFrom(r, 'Client'));
  const b = analyzeFiles(cfn({ endpointSg: endpointSg('10.2.0.0/16'), appSg }));
  assert.equal(hop(pathFrom(b, 'Client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('CloudFormation standalone AWS::EC2::SecurityGroupIngress / SecurityGroupEgress resources', () => {
  // The client group replaces the default egress with a rule to nowhere, and gets its real egress standalone.
  const clientSg = `\n      SecurityGroupEgress:\n${cfnItem(80, 'CidrIp: 127.0.0.1/32')}`;
  const egress = (port: number) =>
    cfnRes('ClientToEndpoint', 'AWS::EC2::SecurityGroupEgress', `      GroupId: !GetAtt ClientSg.GroupId
      IpProtocol: tcp
      FromPort: ${port}
      ToPort: ${port}
      DestinationSecurityGroupId: !GetAtt EndpointSg.GroupId`);
  const r = analyzeFiles(cfn({ clientSg, consumerExtra: egress(443) }));
  allOpen(pathFrom(r, 'Client'));
  const b = analyzeFiles(cfn({ clientSg, consumerExtra: egress(8443) }));
  assert.equal(hop(pathFrom(b, 'Client'), 'clientSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL001').length, 1);
});

test('CloudFormation default allow-all egress when SecurityGroupEgress is absent, also beside standalone egress', () => {
  // A1.3: only an inline egress list removes the default rule; a standalone SecurityGroupEgress does not.
  const r = analyzeFiles(cfn({ clientSg: '' }));
  const p = pathFrom(r, 'Client');
  allOpen(p);
  const withStandalone = analyzeFiles(
    cfn({
      clientSg: '',
      consumerExtra: cfnRes('ClientTo80', 'AWS::EC2::SecurityGroupEgress', `      GroupId: !GetAtt ClientSg.GroupId
      IpProtocol: tcp
      FromPort: 80
      ToPort: 80
      CidrIp: 10.9.0.0/16`),
    }),
  );
  assert.equal(hop(pathFrom(withStandalone, 'Client'), 'clientSg').verdict, 'open');
  assert.deepEqual(findingsOf(withStandalone.findings, 'PL001'), []);
  // The NLB group without SecurityGroupEgress reaches the targets on every port.
  const nlb = analyzeFiles(cfn({ nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}` }));
  assert.equal(hop(pathFrom(nlb, 'Client'), 'nlbSg').verdict, 'open');
  assert.deepEqual(findingsOf(nlb.findings, 'PL024'), []);
});

test('CloudFormation SecurityGroupEgress present removes the default egress (PL001)', () => {
  const r = analyzeFiles(cfn({ clientSg: `\n      SecurityGroupEgress:\n${cfnItem(80, 'CidrIp: 0.0.0.0/0')}` }));
  assert.equal(hop(pathFrom(r, 'Client'), 'clientSg').verdict, 'blocked');
  const pl001 = findingsOf(r.findings, 'PL001');
  assert.equal(pl001.length, 1);
  assert.match(pl001[0].message, /TCP 443/);
});

// ---------------------------------------------------------------------------------------------------------
// Terraform: no egress declared means no egress (A1.4).

test('Terraform SG without egress: PL001 on the client group', () => {
  const r = analyzeFiles(tf({ clientSg: '' }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'clientSg').verdict, 'blocked');
  assert.equal(p.verdict, 'blocked');
  const pl001 = findingsOf(r.findings, 'PL001');
  assert.equal(pl001.length, 1);
  assert.equal(pl001[0].severity, 'error');
  assert.match(pl001[0].message, /aws_instance\.client.*aws_vpc_endpoint\.api on TCP 443/);
});

test('Terraform SG without egress: PL024 on the NLB group', () => {
  const r = analyzeFiles(tf({ nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]') }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'nlbSg').verdict, 'blocked');
  const pl024 = findingsOf(r.findings, 'PL024');
  assert.equal(pl024.length, 1);
  assert.match(pl024[0].message, /aws_instance\.app on TCP 8443/);
  assert.deepEqual(findingsOf(r.findings, 'PL021'), []);
});

// ---------------------------------------------------------------------------------------------------------
// The VPC default security group (A1.2, A2.2, PL003).

test('Terraform endpoint without security groups gets the VPC default SG, which does not admit the client (PL003)', () => {
  const clientSg = tfBlock('egress', 443, 'security_groups = [aws_vpc.c.default_security_group_id]');
  const r = analyzeFiles(tf({ clientSg, endpoint: TF_ENDPOINT_NO_SG }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'clientSg').verdict, 'open');
  assert.equal(hop(p, 'endpointSg').label, 'default SG of aws_vpc.c');
  assert.equal(hop(p, 'endpointSg').verdict, 'blocked');
  const pl003 = findingsOf(r.findings, 'PL003');
  assert.ok(pl003.length >= 1);
  assert.ok(pl003.some((f) => f.severity === 'error'), 'a known client is not a member of the default SG: error');
  assert.deepEqual(findingsOf(r.findings, 'PL002'), [], 'PL003 rather than PL002');
});

test('Terraform endpoint default SG admits a client that is itself in the default SG (self rule)', () => {
  const client = `
# privatelink-lens: uses aws_vpc_endpoint.api
resource "aws_instance" "client" {
  subnet_id = aws_subnet.c.id
}`;
  const r = analyzeFiles(tf({ client, endpoint: TF_ENDPOINT_NO_SG }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'clientSg').label, 'default SG of aws_vpc.c');
  // Still reported (as a warning): the endpoint relies on the default SG.
  const pl003 = findingsOf(r.findings, 'PL003');
  assert.equal(pl003.length, 1);
  assert.equal(pl003[0].severity, 'warning');
});

test('Terraform aws_default_security_group without rules: the endpoint on the default SG admits nobody', () => {
  const client = `
# privatelink-lens: uses aws_vpc_endpoint.api
resource "aws_instance" "client" {
  subnet_id = aws_subnet.c.id
}

resource "aws_default_security_group" "c" {
  vpc_id = aws_vpc.c.id
}`;
  const r = analyzeFiles(tf({ client, endpoint: TF_ENDPOINT_NO_SG }));
  const p = pathFrom(r, 'aws_instance.client');
  // The adopted default SG has no egress and no ingress any more.
  assert.equal(hop(p, 'clientSg').verdict, 'blocked');
  assert.equal(hop(p, 'endpointSg').verdict, 'blocked');
  assert.ok(findingsOf(r.findings, 'PL003').some((f) => f.severity === 'error'));
  // Restoring the self rule in the adopted group opens the endpoint hop again.
  const restored = analyzeFiles(
    tf({
      client: client.replace('vpc_id = aws_vpc.c.id\n}', `vpc_id = aws_vpc.c.id${tfBlock('ingress', [0, 0], 'self = true', '-1')}${tfBlock('egress', [0, 0], 'cidr_blocks = ["0.0.0.0/0"]', '-1')}\n}`),
      endpoint: TF_ENDPOINT_NO_SG,
    }),
  );
  allOpen(pathFrom(restored, 'aws_instance.client'));
});

test('Terraform aws_default_security_group without rules makes PL003 an error even with no known client', () => {
  // privatelink.md PL003: "error if an aws_default_security_group in the config has no self ingress".
  const r = analyzeFiles(
    tf({
      clientSg: '',
      endpointSg: '',
      client: `
resource "aws_default_security_group" "c" {
  vpc_id = aws_vpc.c.id
}`,
      endpoint: TF_ENDPOINT_NO_SG,
    }),
  );
  const pl003 = findingsOf(r.findings, 'PL003');
  assert.ok(pl003.length >= 1);
  assert.ok(
    pl003.every((f) => f.severity === 'error'),
    JSON.stringify(pl003.map((f) => [f.severity, f.message])),
  );
});

test('CloudFormation endpoint without SecurityGroupIds gets the VPC default SG (PL003)', () => {
  const endpoint = cfnRes('Endpoint', 'AWS::EC2::VPCEndpoint', `      VpcId: !Ref ConsumerVpc
      VpcEndpointType: Interface
      ServiceName: !Sub "com.amazonaws.vpce.\${AWS::Region}.\${Service}"
      SubnetIds: [!Ref ConsumerSubnet]`);
  const clientSg = `\n      SecurityGroupEgress:\n${cfnItem(443, 'DestinationSecurityGroupId: !GetAtt ConsumerVpc.DefaultSecurityGroup')}`;
  const r = analyzeFiles(cfn({ clientSg, endpoint }));
  const p = pathFrom(r, 'Client');
  assert.equal(hop(p, 'endpointSg').label, 'default SG of ConsumerVpc');
  assert.equal(hop(p, 'endpointSg').verdict, 'blocked');
  assert.ok(findingsOf(r.findings, 'PL003').some((f) => f.severity === 'error'));
  assert.deepEqual(findingsOf(r.findings, 'PL002'), []);
});

// ---------------------------------------------------------------------------------------------------------
// Prefix lists cannot be expanded: unknown with PL035, never open or blocked.

function assertUnknownNotBlocked(r: Result, label: string, kind: string, rule: string): void {
  const h = hop(pathFrom(r, label), kind);
  assert.equal(h.verdict, 'unknown', describe(r));
  assert.ok(
    h.reasons.some((x) => x.ruleId === 'PL035' && /prefix list/.test(x.message)),
    JSON.stringify(h.reasons),
  );
  assert.deepEqual(findingsOf(r.findings, rule), []);
  assert.ok(findingsOf(r.findings, 'PL035').some((f) => /prefix list/.test(f.message)));
}

test('Terraform prefix lists: client egress (inline and aws_vpc_security_group_egress_rule) is unknown, not PL001', () => {
  assertUnknownNotBlocked(analyzeFiles(tf({ clientSg: tfBlock('egress', 443, 'prefix_list_ids = ["pl-0123456789abcdef0"]') })), 'aws_instance.client', 'clientSg', 'PL001');
  const rule = `
resource "aws_ec2_managed_prefix_list" "endpoints" {
  name           = "endpoints"
  address_family = "IPv4"
  max_entries    = 5
}

resource "aws_vpc_security_group_egress_rule" "client" {
  security_group_id = aws_security_group.client.id
  prefix_list_id    = aws_ec2_managed_prefix_list.endpoints.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}`;
  assertUnknownNotBlocked(analyzeFiles(tf({ clientSg: '', consumerExtra: rule })), 'aws_instance.client', 'clientSg', 'PL001');
});

test('Terraform prefix lists: NLB ingress and target ingress are unknown, not PL021 / PL025', () => {
  const nlbSg = tfBlock('ingress', 443, 'prefix_list_ids = ["pl-0123456789abcdef0"]') + tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]');
  assertUnknownNotBlocked(analyzeFiles(tf({ nlbSg })), 'aws_instance.client', 'nlbSg', 'PL021');
  assertUnknownNotBlocked(analyzeFiles(tf({ appSg: tfBlock('ingress', 8443, 'prefix_list_ids = ["pl-0123456789abcdef0"]') })), 'aws_instance.client', 'targetSg', 'PL025');
});

test('CloudFormation prefix lists: DestinationPrefixListId / SourcePrefixListId are unknown, not blocked', () => {
  assertUnknownNotBlocked(analyzeFiles(cfn({ clientSg: `\n      SecurityGroupEgress:\n${cfnItem(443, 'DestinationPrefixListId: pl-0123456789abcdef0')}` })), 'Client', 'clientSg', 'PL001');
  assertUnknownNotBlocked(
    analyzeFiles(cfn({ endpointSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'SourcePrefixListId: pl-0123456789abcdef0')}`, clientSg: `\n      SecurityGroupEgress:\n${cfnItem(443, 'DestinationSecurityGroupId: !GetAtt EndpointSg.GroupId')}` })),
    'Client',
    'endpointSg',
    'PL002',
  );
  assertUnknownNotBlocked(analyzeFiles(cfn({ appSg: `\n      SecurityGroupIngress:\n${cfnItem(8443, 'SourcePrefixListId: pl-0123456789abcdef0')}` })), 'Client', 'targetSg', 'PL025');
});
