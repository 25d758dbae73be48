import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';

/**
 * Edges of the graph (privatelink.md B7, C7, E3): endpoint -> service by reference, declaration or not at
 * all; service -> NLB; listener -> target group; endpoint SG/subnet associations; allowed principals.
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

function errors(r: Result): string[] {
  return r.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`);
}


/** Paths that go through an endpoint (consumer known or not). */
function endpointPaths(r: Result): Path[] {
  return r.paths.filter((p) => p.hops.some((h) => h.kind === 'endpoint'));
}

function serviceLinkFindings(r: Result, endpoint: string) {
  return findingsOf(r.findings, 'PL035').filter((f) => f.message.startsWith(`The endpoint service of ${endpoint} cannot be found`));
}

// ---------------------------------------------------------------------------------------------------------
// Endpoint -> service.

test('Terraform endpoint -> service by reference to .service_name', () => {
  const r = analyzeFiles(tf());
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'endpointService').label, 'aws_vpc_endpoint_service.api');
  assert.deepEqual(serviceLinkFindings(r, 'aws_vpc_endpoint.api'), []);
});

test('Terraform endpoint -> service unresolved (variable without default): PL035, no paths through it, no error', () => {
  const endpoint = `
variable "service_name" {
  type = string
}

resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = var.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  const r = analyzeFiles(tf({ endpoint }));
  const pl035 = serviceLinkFindings(r, 'aws_vpc_endpoint.api');
  assert.equal(pl035.length, 1);
  assert.match(pl035[0].message, /service_name/);
  assert.equal(pl035[0].severity, 'info');
  assert.deepEqual(endpointPaths(r), []);
  assert.deepEqual(errors(r), []);
});

test('Terraform endpoint -> literal vpce-svc name not in the workspace: PL035, no error', () => {
  const endpoint = `
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  const r = analyzeFiles(tf({ endpoint }));
  const pl035 = serviceLinkFindings(r, 'aws_vpc_endpoint.api');
  assert.equal(pl035.length, 1);
  assert.match(pl035[0].message, /vpce-svc-0123456789abcdef0/);
  assert.deepEqual(endpointPaths(r), []);
  assert.deepEqual(errors(r), []);
});

test('Terraform endpoint -> service by annotation comment, when the name is not known', () => {
  const endpoint = `
variable "service_name" {
  type = string
}

# privatelink-lens: service = aws_vpc_endpoint_service.api
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = var.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  const r = analyzeFiles(tf({ endpoint }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'endpointService').label, 'aws_vpc_endpoint_service.api');
  assert.deepEqual(serviceLinkFindings(r, 'aws_vpc_endpoint.api'), []);
});

test('Terraform endpoint -> service by the links setting, when the name is not known', () => {
  const endpoint = `
variable "service_name" {
  type = string
}

resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = var.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  const r = analyzeFiles(tf({ endpoint }), { links: [{ endpoint: 'consumer.tf#aws_vpc_endpoint.api', service: 'provider.tf#aws_vpc_endpoint_service.api' }] });
  allOpen(pathFrom(r, 'aws_instance.client'));
  assert.deepEqual(serviceLinkFindings(r, 'aws_vpc_endpoint.api'), []);
});

test('CloudFormation endpoint -> service by !Sub (one- and two-argument forms) in the same template', () => {
  allOpen(pathFrom(analyzeFiles(cfn()), 'Client'));
  const endpoint = cfnRes('Endpoint', 'AWS::EC2::VPCEndpoint', `      VpcId: !Ref ConsumerVpc
      VpcEndpointType: Interface
      ServiceName: !Sub
        - "com.amazonaws.vpce.\${AWS::Region}.\${Id}"
        - Id: !GetAtt Service.ServiceId
      SubnetIds: [!Ref ConsumerSubnet]
      SecurityGroupIds: [!GetAtt EndpointSg.GroupId]`);
  const r = analyzeFiles(cfn({ endpoint }));
  const p = pathFrom(r, 'Client');
  allOpen(p);
  assert.equal(hop(p, 'endpointService').label, 'Service');
});

test('CloudFormation endpoint -> service by !Join', () => {
  const endpoint = cfnRes('Endpoint', 'AWS::EC2::VPCEndpoint', `      VpcId: !Ref ConsumerVpc
      VpcEndpointType: Interface
      ServiceName: !Join ["", ["com.amazonaws.vpce.", !Ref "AWS::Region", ".", !Ref Service]]
      SubnetIds: [!Ref ConsumerSubnet]
      SecurityGroupIds: [!GetAtt EndpointSg.GroupId]`);
  const r = analyzeFiles(cfn({ endpoint }));
  allOpen(pathFrom(r, 'Client'));
  assert.deepEqual(serviceLinkFindings(r, 'Endpoint'), []);
});

/** Two templates: the provider exports its service id, the consumer imports it into the service name. */
function twoStacks(serviceName: string, exportName = 'provider-ServiceId', parameters = ''): Record<string, string> {
  return {
    '/ws/provider.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${cfnProvider({})}Outputs:
  ServiceId:
    Value: !Ref Service
    Export:
      Name: ${exportName}
`,
    '/ws/consumer.yaml': `AWSTemplateFormatVersion: "2010-09-09"
${parameters}Resources:
${cfnConsumer({}, serviceName)}`,
  };
}

test('CloudFormation endpoint -> service by !ImportValue across two templates', () => {
  const r = analyzeFiles(twoStacks('!Join ["", ["com.amazonaws.vpce.", !Ref "AWS::Region", ".", !ImportValue provider-ServiceId]]'));
  const p = pathFrom(r, 'Client');
  allOpen(p);
  assert.equal(hop(p, 'endpointService').label, 'Service');
  assert.equal(hop(p, 'endpointService').location?.file, '/ws/provider.yaml');
  assert.equal(hop(p, 'endpoint').location?.file, '/ws/consumer.yaml');
  // Fn::ImportValue of a name built by !Sub from a parameter default.
  const sub = analyzeFiles(
    twoStacks(
      `!Sub
        - "com.amazonaws.vpce.\${AWS::Region}.\${Id}"
        - Id:
            Fn::ImportValue: !Sub "\${ProviderStack}-ServiceId"`,
      'provider-ServiceId',
      'Parameters:\n  ProviderStack:\n    Type: String\n    Default: provider\n',
    ),
  );
  allOpen(pathFrom(sub, 'Client'));
});

test('CloudFormation endpoint -> service unresolved (parameter without default; import without export): PL035, no error', () => {
  const param = analyzeFiles({
    '/ws/consumer.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ServiceName:
    Type: String
Resources:
${cfnConsumer({}, '!Ref ServiceName')}`,
  });
  assert.equal(serviceLinkFindings(param, 'Endpoint').length, 1);
  assert.deepEqual(endpointPaths(param), []);
  assert.deepEqual(errors(param), []);
  const imp = analyzeFiles({ '/ws/consumer.yaml': twoStacks('!Sub ["com.amazonaws.vpce.${AWS::Region}.${Id}", {Id: !ImportValue nobody-exports-this}]')['/ws/consumer.yaml'] });
  const pl035 = serviceLinkFindings(imp, 'Endpoint');
  assert.equal(pl035.length, 1);
  assert.match(pl035[0].message, /nobody-exports-this/);
  assert.deepEqual(errors(imp), []);
});

// ---------------------------------------------------------------------------------------------------------
// Service -> NLB, listener -> target group.

test('Terraform NLB referenced by .id from the service and the listener', () => {
  const service = `
resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.nlb.id]
}`;
  const listener = `
resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.id
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.id
  }
}`;
  const r = analyzeFiles(tf({ service, listener }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'nlb').label, 'aws_lb.nlb');
  assert.deepEqual(findingsOf(r.findings, 'PL016'), []);
});

test('Terraform listener forward { target_group { arn } } block', () => {
  const listener = `
resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.app.arn
        weight = 100
      }
    }
  }
}`;
  const r = analyzeFiles(tf({ listener }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'targetGroup').label, 'aws_lb_target_group.app (TCP 8443)');
});

test('CloudFormation listener ForwardConfig and NLB by !GetAtt LoadBalancerArn', () => {
  const listener = cfnRes('Listener', 'AWS::ElasticLoadBalancingV2::Listener', `      LoadBalancerArn: !GetAtt Nlb.LoadBalancerArn
      Port: 443
      Protocol: TCP
      DefaultActions:
        - Type: forward
          ForwardConfig:
            TargetGroups:
              - TargetGroupArn: !Ref Tg
                Weight: 1`);
  const service = cfnRes('Service', 'AWS::EC2::VPCEndpointService', `      AcceptanceRequired: true
      NetworkLoadBalancerArns: [!GetAtt Nlb.LoadBalancerArn]`);
  const r = analyzeFiles(cfn({ listener, service }));
  const p = pathFrom(r, 'Client');
  allOpen(p);
  assert.equal(hop(p, 'targetGroup').label, 'Tg (TCP 8443)');
});

test('A listener that forwards nowhere blocks the path at the listener hop', () => {
  const listener = `
resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/elsewhere/0123456789abcdef"
  }
}`;
  const r = analyzeFiles(tf({ listener }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'listener').verdict, 'blocked');
  assert.deepEqual(
    p.hops.map((h) => h.kind),
    HOPS.slice(0, HOPS.indexOf('listener') + 1),
  );
});

// ---------------------------------------------------------------------------------------------------------
// Endpoint associations.

test('aws_vpc_endpoint_security_group_association with replace_default_association: the associated SG, no PL003', () => {
  const endpoint = `
resource "aws_vpc_endpoint" "api" {
  vpc_id            = aws_vpc.c.id
  service_name      = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.c.id]
}

resource "aws_vpc_endpoint_security_group_association" "api" {
  vpc_endpoint_id             = aws_vpc_endpoint.api.id
  security_group_id           = aws_security_group.endpoint.id
  replace_default_association = true
}`;
  const r = analyzeFiles(tf({ endpoint }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'endpointSg').label, 'aws_security_group.endpoint');
  assert.deepEqual(findingsOf(r.findings, 'PL003'), []);
  const b = analyzeFiles(tf({ endpoint, endpointSg: tfBlock('ingress', 80, 'security_groups = [aws_security_group.client.id]') }));
  assert.equal(hop(pathFrom(b, 'aws_instance.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(b.findings, 'PL002').length, 1);
});

test('aws_vpc_endpoint_security_group_association without replace_default_association keeps the default SG (PL003)', () => {
  // B1: replace_default_association replaces "the default-SG association that was created when no SGs were
  // given"; without it the endpoint has both groups. PL003's condition excludes only associations that replace.
  const endpoint = `
resource "aws_vpc_endpoint" "api" {
  vpc_id            = aws_vpc.c.id
  service_name      = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.c.id]
}

resource "aws_vpc_endpoint_security_group_association" "api" {
  vpc_endpoint_id   = aws_vpc_endpoint.api.id
  security_group_id = aws_security_group.endpoint.id
}`;
  const r = analyzeFiles(tf({ endpoint }));
  const p = pathFrom(r, 'aws_instance.client');
  // The associated group admits the client: the hop is open whatever the default SG says.
  assert.equal(hop(p, 'endpointSg').verdict, 'open');
  assert.match(hop(p, 'endpointSg').label, /aws_security_group\.endpoint/);
  assert.match(hop(p, 'endpointSg').label, /default SG of aws_vpc\.c/);
  assert.equal(findingsOf(r.findings, 'PL003').length, 1);
});

test('aws_vpc_endpoint_subnet_association gives the endpoint its subnets (no PL006; client egress by CIDR to them)', () => {
  const endpoint = (assoc: boolean) => `
resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.endpoint.id]
}
${
  assoc
    ? `
resource "aws_vpc_endpoint_subnet_association" "api" {
  vpc_endpoint_id = aws_vpc_endpoint.api.id
  subnet_id       = aws_subnet.c.id
}`
    : ''
}`;
  const clientSg = tfBlock('egress', 443, 'cidr_blocks = ["10.1.1.0/24"]');
  const r = analyzeFiles(tf({ clientSg, endpoint: endpoint(true) }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.deepEqual(findingsOf(r.findings, 'PL006'), []);
  const none = analyzeFiles(tf({ clientSg, endpoint: endpoint(false) }));
  assert.equal(hop(pathFrom(none, 'aws_instance.client'), 'endpoint').verdict, 'blocked');
  assert.equal(findingsOf(none.findings, 'PL006').length, 1);
});

// ---------------------------------------------------------------------------------------------------------
// Allowed principals.

test('aws_vpc_endpoint_service_allowed_principal: "*" is PL013; principals make a cross-account service hop open', () => {
  const star = analyzeFiles(
    tf({
      providerExtra: `
resource "aws_vpc_endpoint_service_allowed_principal" "all" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.api.id
  principal_arn           = "*"
}`,
    }),
  );
  const pl013 = findingsOf(star.findings, 'PL013');
  assert.equal(pl013.length, 1);
  assert.equal(pl013[0].severity, 'warning', 'acceptance is required');
  // The consumer's endpoint is in another account (provider alias): the service must allow someone.
  const endpoint = `
provider "aws" {
  alias = "consumer"
}

resource "aws_vpc_endpoint" "api" {
  provider           = aws.consumer
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}`;
  const none = analyzeFiles(tf({ endpoint }));
  const h = hop(pathFrom(none, 'aws_instance.client'), 'endpointService');
  assert.equal(h.verdict, 'unknown');
  assert.ok(h.reasons.some((x) => x.ruleId === 'PL035'));
  const allowed = analyzeFiles(
    tf({
      endpoint,
      providerExtra: `
resource "aws_vpc_endpoint_service_allowed_principal" "consumer" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.api.id
  principal_arn           = "arn:aws:iam::222222222222:root"
}`,
    }),
  );
  allOpen(pathFrom(allowed, 'aws_instance.client'));
  assert.deepEqual(findingsOf(allowed.findings, 'PL013'), []);
  assert.deepEqual(findingsOf(allowed.findings, 'PL015'), []);
});

test('CloudFormation VPCEndpointServicePermissions: "*" with automatic acceptance is PL013 error and PL014', () => {
  const service = cfnRes('Service', 'AWS::EC2::VPCEndpointService', `      AcceptanceRequired: false
      NetworkLoadBalancerArns: [!Ref Nlb]`);
  const perms = (p: string) =>
    cfnRes('ServicePermissions', 'AWS::EC2::VPCEndpointServicePermissions', `      ServiceId: !Ref Service
      AllowedPrincipals:
        - ${p}`);
  const r = analyzeFiles(cfn({ service, providerExtra: perms('"*"') }));
  const pl013 = findingsOf(r.findings, 'PL013');
  assert.equal(pl013.length, 1);
  assert.equal(pl013[0].severity, 'error');
  assert.equal(findingsOf(r.findings, 'PL014').length, 1);
  const ok = analyzeFiles(cfn({ providerExtra: perms('arn:aws:iam::222222222222:root') }));
  assert.deepEqual(findingsOf(ok.findings, 'PL013'), []);
  assert.deepEqual(findingsOf(ok.findings, 'PL014'), []);
  assert.deepEqual(findingsOf(ok.findings, 'PL015'), []);
  const bad = analyzeFiles(cfn({ providerExtra: perms('arn:aws:iam::222222222222:role/path/app') }));
  assert.equal(findingsOf(bad.findings, 'PL015').length, 1);
});
