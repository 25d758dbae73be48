import assert from 'node:assert/strict';
import type { analyzeFiles } from './helpers';

/**
 * The world the graph tests (graph*.test.ts) share: the fixture builders and the helpers that read paths.
 */

// ---------------------------------------------------------------------------------------------------------
// Fixtures. One PrivateLink setup per language whose every hop is open; each part can be replaced.
// Consumer VPC 10.1.0.0/16 (subnet 10.1.1.0/24), provider VPC 10.0.0.0/16 (subnet 10.0.1.0/24); the NLB
// listens on TCP 443 and forwards to a target group on 8443.

export interface Parts {
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

/** The consumer's VPC and subnet, and the provider's; Terraform roots of their own use one half each. */
export const TF_CONSUMER_NET = `resource "aws_vpc" "c" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "c" {
  vpc_id     = aws_vpc.c.id
  cidr_block = "10.1.1.0/24"
}
`;
export const TF_PROVIDER_NET = `resource "aws_vpc" "p" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.p.id
  cidr_block = "10.0.1.0/24"
}
`;
export const TF_NET = TF_CONSUMER_NET + TF_PROVIDER_NET;

/** A Terraform rule block (inline `ingress`/`egress`). */
export function tfBlock(dir: 'ingress' | 'egress', port: number | [number, number], peer: string, protocol = 'tcp'): string {
  const [from, to] = Array.isArray(port) ? port : [port, port];
  return `
  ${dir} {
    from_port = ${from}
    to_port   = ${to}
    protocol  = "${protocol}"
    ${peer}
  }`;
}

export function tfConsumer(p: Parts): string {
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

export function tfProvider(p: Parts): string {
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
export function tf(p: Parts = {}): Record<string, string> {
  return { '/ws/net.tf': TF_NET, '/ws/consumer.tf': tfConsumer(p), '/ws/provider.tf': tfProvider(p) };
}

/** A CloudFormation resource. `props` is the Properties body, indented by six spaces. */
export function cfnRes(name: string, type: string, props: string): string {
  return `  ${name}:
    Type: ${type}
    Properties:
${props}
`;
}

/** A CloudFormation rule list item (inline SecurityGroupIngress/Egress). */
export function cfnItem(port: number | [number, number], peer: string, protocol = 'tcp'): string {
  const [from, to] = Array.isArray(port) ? port : [port, port];
  return `        - IpProtocol: ${protocol}
          FromPort: ${from}
          ToPort: ${to}
          ${peer}`;
}

export const CFN_CONSUMER_NET = `  ConsumerVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
  ConsumerSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref ConsumerVpc
      CidrBlock: 10.1.1.0/24
`;
export const CFN_PROVIDER_NET = `  ProviderVpc:
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
export function cfnConsumer(p: Parts, serviceName = '!Sub "com.amazonaws.vpce.${AWS::Region}.${Service}"'): string {
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

export function cfnProvider(p: Parts): string {
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
export function cfn(p: Parts = {}): Record<string, string> {
  return { '/ws/stack.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${cfnConsumer(p)}${cfnProvider(p)}` };
}

// ---------------------------------------------------------------------------------------------------------
// Reading results.

export const HOPS = ['client', 'clientSg', 'endpointSg', 'endpoint', 'endpointService', 'nlbSg', 'nlb', 'listener', 'targetGroup', 'targetSg', 'target'];

export type Result = ReturnType<typeof analyzeFiles>;
export type Path = Result['paths'][number];

/** Paths that start at a known client. */
export function clientPaths(r: Result): Path[] {
  return r.paths.filter((p) => p.hops[0]?.kind === 'client' && p.hops[0].verdict === 'open');
}

/** The one path from the client named `label` (its address or logical id). */
export function pathFrom(r: Result, label: string): Path {
  const ps = clientPaths(r).filter((p) => p.hops[0].label === label);
  assert.equal(ps.length, 1, `one path from ${label}; paths: ${describe(r)}`);
  return ps[0];
}

export function hop(p: Path, kind: string): Path['hops'][number] {
  const h = p.hops.find((x) => x.kind === kind);
  assert.ok(h, `hop ${kind} in ${p.hops.map((x) => x.kind).join(',')}`);
  return h;
}

/** `kind:verdict` of every hop, for readable failure messages. */
export function describe(r: Result): string {
  return JSON.stringify(r.paths.map((p) => `${p.port} ${p.hops.map((h) => `${h.kind}:${h.verdict}(${h.label})${h.reasons.map((x) => `[${x.ruleId}]`).join('')}`).join(' > ')}`));
}

export function allOpen(p: Path): void {
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

/** The error findings, as `ruleId: message`. */
export function errors(r: Result): string[] {
  return r.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`);
}

/** A Terraform interface endpoint without `security_group_ids` (it gets the VPC default SG). */
export const TF_ENDPOINT_NO_SG = `
resource "aws_vpc_endpoint" "api" {
  vpc_id            = aws_vpc.c.id
  service_name      = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.c.id]
}`;
