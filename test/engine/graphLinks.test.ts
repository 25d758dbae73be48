import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';
import { tfBlock, tf, cfnRes, cfnConsumer, cfnProvider, cfn, HOPS, type Result, type Path, pathFrom, hop, allOpen, errors } from './graphWorld';

/**
 * Edges of the graph (privatelink.md B7, C7, E3): endpoint -> service by reference, declaration or not at
 * all; service -> NLB; listener -> target group; endpoint SG/subnet associations; allowed principals.
 */

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
