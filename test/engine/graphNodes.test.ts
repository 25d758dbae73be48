import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, findingsOf } from './helpers';
import { type Parts, tfBlock, tf, cfnRes, cfnItem, cfn, HOPS, pathFrom, hop, describe, allOpen, errors } from './graphWorld';

/**
 * Graph nodes: every kind of client compute and every way a target is registered, in Terraform and
 * CloudFormation (privatelink.md B5, B7, C5, E0). Each case is checked open, and then with the client's
 * (or target's) security group changed so that only that node's groups can explain the block.
 */

// ---------------------------------------------------------------------------------------------------------
// Clients, Terraform.

/** Client egress that does not reach the endpoint on 443 (only port 80). */
const TF_CLIENT_EGRESS_80 = tfBlock('egress', 80, 'security_groups = [aws_security_group.endpoint.id]');

const TF_CLIENTS: { name: string; address: string; client: string }[] = [
  {
    name: 'aws_instance vpc_security_group_ids',
    address: 'aws_instance.client',
    client: `
resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.client.id]
}`,
  },
  {
    name: 'aws_launch_template vpc_security_group_ids + aws_autoscaling_group',
    address: 'aws_autoscaling_group.client',
    client: `
resource "aws_launch_template" "client" {
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_autoscaling_group" "client" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.c.id]
  launch_template {
    id      = aws_launch_template.client.id
    version = "$Latest"
  }
}`,
  },
  {
    name: 'aws_launch_template network_interfaces.security_groups + aws_autoscaling_group',
    address: 'aws_autoscaling_group.client',
    client: `
resource "aws_launch_template" "client" {
  network_interfaces {
    device_index    = 0
    security_groups = [aws_security_group.client.id]
  }
}

resource "aws_autoscaling_group" "client" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.c.id]
  launch_template {
    id      = aws_launch_template.client.id
    version = "$Latest"
  }
}`,
  },
  {
    name: 'aws_lambda_function vpc_config',
    address: 'aws_lambda_function.client',
    client: `
resource "aws_lambda_function" "client" {
  function_name = "client"
  role          = "arn:aws:iam::111111111111:role/client"
  vpc_config {
    subnet_ids         = [aws_subnet.c.id]
    security_group_ids = [aws_security_group.client.id]
  }
}`,
  },
  {
    name: 'aws_ecs_service network_configuration',
    address: 'aws_ecs_service.client',
    client: `
resource "aws_ecs_service" "client" {
  name = "client"
  network_configuration {
    subnets         = [aws_subnet.c.id]
    security_groups = [aws_security_group.client.id]
  }
}`,
  },
  {
    name: 'aws_network_interface',
    address: 'aws_network_interface.client',
    client: `
resource "aws_network_interface" "client" {
  subnet_id       = aws_subnet.c.id
  security_groups = [aws_security_group.client.id]
}`,
  },
];

for (const c of TF_CLIENTS) {
  test(`Terraform client ${c.name}: its security groups are the client SG hop`, () => {
    const r = analyzeFiles(tf({ client: c.client }));
    const p = pathFrom(r, c.address);
    allOpen(p);
    assert.equal(hop(p, 'clientSg').label, 'aws_security_group.client');
    assert.deepEqual(errors(r), []);
    const blocked = analyzeFiles(tf({ client: c.client, clientSg: TF_CLIENT_EGRESS_80 }));
    const b = pathFrom(blocked, c.address);
    assert.equal(hop(b, 'clientSg').verdict, 'blocked');
    assert.deepEqual(
      findingsOf(blocked.findings, 'PL001').map((f) => f.message.includes(c.address)),
      [true],
    );
  });
}

test('Terraform aws_instance with a network_interface block: the instance has the interface\'s security groups', () => {
  // The instance names no group itself; its primary interface carries them (B5).
  const client = `
resource "aws_network_interface" "client" {
  subnet_id       = aws_subnet.c.id
  security_groups = [aws_security_group.client.id]
}

resource "aws_instance" "client" {
  network_interface {
    network_interface_id = aws_network_interface.client.id
    device_index         = 0
  }
}`;
  const r = analyzeFiles(tf({ client }));
  const p = pathFrom(r, 'aws_instance.client');
  allOpen(p);
  assert.equal(hop(p, 'clientSg').label, 'aws_security_group.client');
  const blocked = analyzeFiles(tf({ client, clientSg: TF_CLIENT_EGRESS_80 }));
  assert.ok(
    findingsOf(blocked.findings, 'PL001').some((f) => f.message.includes('aws_instance.client')),
    describe(blocked),
  );
});

test('Terraform aws_autoscaling_group naming its launch template by a name set in the config', () => {
  // `launch_template { name = aws_launch_template.x.name }` with a literal `name` evaluates to that string;
  // it still names the template in the workspace.
  const client = `
resource "aws_launch_template" "client" {
  name                   = "client"
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_autoscaling_group" "client" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.c.id]
  launch_template {
    name    = aws_launch_template.client.name
    version = "$Latest"
  }
}`;
  const r = analyzeFiles(tf({ client }));
  const p = pathFrom(r, 'aws_autoscaling_group.client');
  allOpen(p);
  assert.equal(hop(p, 'clientSg').label, 'aws_security_group.client');
});

test('Terraform launch template: network_interfaces.security_groups win over vpc_security_group_ids', () => {
  // B5: "if network_interfaces sets SGs, those are the ones that apply". The other group has no egress.
  const client = `
resource "aws_security_group" "unused" {
  vpc_id = aws_vpc.c.id
}

resource "aws_launch_template" "client" {
  vpc_security_group_ids = [aws_security_group.unused.id]
  network_interfaces {
    device_index    = 0
    security_groups = [aws_security_group.client.id]
  }
}

resource "aws_autoscaling_group" "client" {
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.c.id]
  launch_template {
    id = aws_launch_template.client.id
  }
}`;
  const r = analyzeFiles(tf({ client }));
  const p = pathFrom(r, 'aws_autoscaling_group.client');
  assert.equal(hop(p, 'clientSg').label, 'aws_security_group.client');
  assert.equal(hop(p, 'clientSg').verdict, 'open');
});

test('Terraform aws_autoscaling_group with mixed_instances_policy takes the launch template\'s groups', () => {
  const client = `
resource "aws_launch_template" "client" {
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_autoscaling_group" "client" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.c.id]
  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.client.id
      }
    }
  }
}`;
  const r = analyzeFiles(tf({ client }));
  const p = pathFrom(r, 'aws_autoscaling_group.client');
  allOpen(p);
  assert.equal(hop(p, 'clientSg').label, 'aws_security_group.client');
});

test('Terraform ECS service without security_groups runs in the VPC default SG; a declared client is checked with it', () => {
  // B5: "If you do not specify a security group, the default security group for the VPC is used". With no
  // SG reference the client is only known by declaration. The implicit default SG allows all egress.
  const client = `
# privatelink-lens: uses aws_vpc_endpoint.api
resource "aws_ecs_service" "client" {
  name = "client"
  network_configuration {
    subnets = [aws_subnet.c.id]
  }
}`;
  const endpointSg = tfBlock('ingress', 443, 'security_groups = [aws_vpc.c.default_security_group_id]');
  const r = analyzeFiles(tf({ client, endpointSg }));
  const p = pathFrom(r, 'aws_ecs_service.client');
  allOpen(p);
  assert.equal(hop(p, 'clientSg').label, 'default SG of aws_vpc.c');
  // The endpoint SG admits another group only: the default SG's members are not let in.
  const other = analyzeFiles(tf({ client, endpointSg: tfBlock('ingress', 443, 'security_groups = [aws_security_group.client.id]') }));
  assert.equal(hop(pathFrom(other, 'aws_ecs_service.client'), 'endpointSg').verdict, 'blocked');
  assert.equal(findingsOf(other.findings, 'PL002').length, 1);
});

// ---------------------------------------------------------------------------------------------------------
// Clients, CloudFormation.

const CFN_CLIENT_EGRESS_80 = `\n      SecurityGroupEgress:\n${cfnItem(80, 'DestinationSecurityGroupId: !GetAtt EndpointSg.GroupId')}`;

const CFN_CLIENTS: { name: string; address: string; client: string }[] = [
  {
    name: 'AWS::EC2::Instance SecurityGroupIds',
    address: 'Client',
    client: cfnRes('Client', 'AWS::EC2::Instance', `      SubnetId: !Ref ConsumerSubnet
      SecurityGroupIds: [!GetAtt ClientSg.GroupId]`),
  },
  {
    name: 'AWS::EC2::Instance NetworkInterfaces GroupSet',
    address: 'Client',
    client: cfnRes('Client', 'AWS::EC2::Instance', `      NetworkInterfaces:
        - DeviceIndex: "0"
          SubnetId: !Ref ConsumerSubnet
          GroupSet: [!GetAtt ClientSg.GroupId]`),
  },
  {
    name: 'AWS::EC2::LaunchTemplate SecurityGroupIds + AWS::AutoScaling::AutoScalingGroup',
    address: 'ClientAsg',
    client:
      cfnRes('ClientLt', 'AWS::EC2::LaunchTemplate', `      LaunchTemplateData:
        SecurityGroupIds: [!GetAtt ClientSg.GroupId]`) +
      cfnRes('ClientAsg', 'AWS::AutoScaling::AutoScalingGroup', `      MinSize: "1"
      MaxSize: "2"
      VPCZoneIdentifier: [!Ref ConsumerSubnet]
      LaunchTemplate:
        LaunchTemplateId: !Ref ClientLt
        Version: !GetAtt ClientLt.LatestVersionNumber`),
  },
  {
    name: 'AWS::EC2::LaunchTemplate NetworkInterfaces Groups + AWS::AutoScaling::AutoScalingGroup',
    address: 'ClientAsg',
    client:
      cfnRes('ClientLt', 'AWS::EC2::LaunchTemplate', `      LaunchTemplateData:
        NetworkInterfaces:
          - DeviceIndex: 0
            Groups: [!GetAtt ClientSg.GroupId]`) +
      cfnRes('ClientAsg', 'AWS::AutoScaling::AutoScalingGroup', `      MinSize: "1"
      MaxSize: "2"
      VPCZoneIdentifier: [!Ref ConsumerSubnet]
      LaunchTemplate:
        LaunchTemplateId: !Ref ClientLt
        Version: !GetAtt ClientLt.LatestVersionNumber`),
  },
  {
    name: 'AWS::Lambda::Function VpcConfig',
    address: 'Client',
    client: cfnRes('Client', 'AWS::Lambda::Function', `      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::111111111111:role/client
      VpcConfig:
        SubnetIds: [!Ref ConsumerSubnet]
        SecurityGroupIds: [!GetAtt ClientSg.GroupId]`),
  },
  {
    name: 'AWS::ECS::Service AwsvpcConfiguration',
    address: 'Client',
    client: cfnRes('Client', 'AWS::ECS::Service', `      LaunchType: FARGATE
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [!Ref ConsumerSubnet]
          SecurityGroups: [!GetAtt ClientSg.GroupId]`),
  },
];

for (const c of CFN_CLIENTS) {
  test(`CloudFormation client ${c.name}: its security groups are the client SG hop`, () => {
    const r = analyzeFiles(cfn({ client: c.client }));
    const p = pathFrom(r, c.address);
    allOpen(p);
    assert.equal(hop(p, 'clientSg').label, 'ClientSg');
    assert.deepEqual(errors(r), []);
    const blocked = analyzeFiles(cfn({ client: c.client, clientSg: CFN_CLIENT_EGRESS_80 }));
    assert.equal(hop(pathFrom(blocked, c.address), 'clientSg').verdict, 'blocked');
    assert.deepEqual(
      findingsOf(blocked.findings, 'PL001').map((f) => f.message.includes(c.address)),
      [true],
    );
  });
}

// ---------------------------------------------------------------------------------------------------------
// Targets, Terraform.

/** The NLB SG egress and the app SG ingress on `port`, for targets that listen elsewhere than 8443. */
function tfPortParts(port: number): Parts {
  return {
    nlbSg: tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]') + tfBlock('egress', port, 'security_groups = [aws_security_group.app.id]'),
    appSg: tfBlock('ingress', port, 'security_groups = [aws_security_group.nlb.id]'),
  };
}

const TF_LAUNCH_TEMPLATE = `
resource "aws_launch_template" "app" {
  vpc_security_group_ids = [aws_security_group.app.id]
}
`;
const TF_IP_TG = `
resource "aws_lb_target_group" "app" {
  port        = 8443
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.p.id
}`;

const TF_TARGETS: { name: string; address: string; target: string; tg?: string }[] = [
  {
    name: 'aws_lb_target_group_attachment (instance id)',
    address: 'aws_instance.app',
    target: `
resource "aws_instance" "app" {
  subnet_id              = aws_subnet.p.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
}`,
  },
  {
    name: 'aws_lb_target_group_attachment (IP of an instance in the workspace)',
    address: 'aws_instance.app',
    tg: TF_IP_TG,
    target: `
resource "aws_instance" "app" {
  subnet_id              = aws_subnet.p.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.private_ip
}`,
  },
  {
    name: 'aws_autoscaling_group.target_group_arns',
    address: 'aws_autoscaling_group.app',
    target: `${TF_LAUNCH_TEMPLATE}
resource "aws_autoscaling_group" "app" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.p.id]
  target_group_arns   = [aws_lb_target_group.app.arn]
  launch_template {
    id = aws_launch_template.app.id
  }
}`,
  },
  {
    name: 'aws_autoscaling_attachment',
    address: 'aws_autoscaling_group.app',
    target: `${TF_LAUNCH_TEMPLATE}
resource "aws_autoscaling_group" "app" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.p.id]
  launch_template {
    id = aws_launch_template.app.id
  }
}

resource "aws_autoscaling_attachment" "app" {
  autoscaling_group_name = aws_autoscaling_group.app.id
  lb_target_group_arn    = aws_lb_target_group.app.arn
}`,
  },
  {
    name: 'aws_ecs_service.load_balancer',
    address: 'aws_ecs_service.app',
    tg: TF_IP_TG,
    target: `
resource "aws_ecs_service" "app" {
  name = "app"
  network_configuration {
    subnets         = [aws_subnet.p.id]
    security_groups = [aws_security_group.app.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "app"
    container_port   = 8443
  }
}`,
  },
];

for (const t of TF_TARGETS) {
  test(`Terraform target ${t.name}: the target's groups are the target SG hop`, () => {
    const r = analyzeFiles(tf({ target: t.target, tg: t.tg }));
    const p = pathFrom(r, 'aws_instance.client');
    allOpen(p);
    assert.equal(hop(p, 'target').label, t.address);
    assert.equal(hop(p, 'targetSg').label, 'aws_security_group.app');
    assert.deepEqual(errors(r), []);
    // The target's group admits the NLB on another port only.
    const blocked = analyzeFiles(tf({ target: t.target, tg: t.tg, appSg: tfBlock('ingress', 9000, 'security_groups = [aws_security_group.nlb.id]') }));
    assert.equal(hop(pathFrom(blocked, 'aws_instance.client'), 'targetSg').verdict, 'blocked');
    const pl025 = findingsOf(blocked.findings, 'PL025');
    assert.equal(pl025.length, 1, describe(blocked));
    assert.match(pl025[0].message, /TCP 8443/);
  });
}

test('Terraform IP target by literal address: the NLB SG egress is checked against the IP; no target SG hop', () => {
  const target = `
resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = "10.0.1.10"
}`;
  const nlbSg = (egressCidr: string) => tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]') + tfBlock('egress', 8443, `cidr_blocks = ["${egressCidr}"]`);
  const r = analyzeFiles(tf({ target, tg: TF_IP_TG, nlbSg: nlbSg('10.0.1.0/24') }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.deepEqual(
    p.hops.map((h) => h.kind),
    HOPS.filter((k) => k !== 'targetSg'),
  );
  assert.equal(hop(p, 'target').label, 'IP 10.0.1.10');
  assert.equal(p.verdict, 'open', describe(r));
  const wrongCidr = analyzeFiles(tf({ target, tg: TF_IP_TG, nlbSg: nlbSg('10.0.2.0/24') }));
  assert.equal(hop(pathFrom(wrongCidr, 'aws_instance.client'), 'nlbSg').verdict, 'blocked');
  const pl024 = findingsOf(wrongCidr.findings, 'PL024');
  assert.equal(pl024.length, 1);
  assert.match(pl024[0].message, /10\.0\.1\.10 on TCP 8443/);
});

test('Terraform aws_autoscaling_attachment naming the group by a name set in the config', () => {
  const target = `${TF_LAUNCH_TEMPLATE}
resource "aws_autoscaling_group" "app" {
  name                = "app"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.p.id]
  launch_template {
    id = aws_launch_template.app.id
  }
}

resource "aws_autoscaling_attachment" "app" {
  autoscaling_group_name = aws_autoscaling_group.app.name
  lb_target_group_arn    = aws_lb_target_group.app.arn
}`;
  const r = analyzeFiles(tf({ target }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'target').label, 'aws_autoscaling_group.app', describe(r));
  allOpen(p);
});

test('Terraform attachment port overrides the target group port for an instance target', () => {
  const target = `
resource "aws_instance" "app" {
  subnet_id              = aws_subnet.p.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
  port             = 9443
}`;
  // Target group 8443, attachment 9443. The health check defaults to "traffic-port", "the port on which each
  // target receives traffic" (A6.4, CFN HealthCheckPort), so it is 9443 here too: nothing is checked on 8443.
  const r = analyzeFiles(tf({ target, ...tfPortParts(9443) }));
  allOpen(pathFrom(r, 'aws_instance.client'));
  const old = analyzeFiles(tf({ target }));
  const pl025 = findingsOf(old.findings, 'PL025');
  assert.equal(pl025.length, 1);
  assert.match(pl025[0].message, /TCP 9443/);
});

test('Terraform ECS load_balancer: tasks are registered on container_port, which is the port checked', () => {
  // An ECS service registers each task's IP with the container port (awsvpc), not the target group's port.
  const target = `
resource "aws_ecs_service" "app" {
  name = "app"
  network_configuration {
    subnets         = [aws_subnet.p.id]
    security_groups = [aws_security_group.app.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "app"
    container_port   = 9443
  }
}`;
  const tg = `
resource "aws_lb_target_group" "app" {
  port        = 8443
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.p.id
  health_check {
    port = "traffic-port"
  }
}`;
  const r = analyzeFiles(tf({ target, tg, ...tfPortParts(9443) }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'targetSg').verdict, 'open', describe(r));
  assert.equal(hop(p, 'nlbSg').verdict, 'open', describe(r));
  assert.deepEqual(findingsOf(r.findings, 'PL025'), []);
});

test('Terraform instance target with a network_interface block: the target SG is the interface\'s', () => {
  const target = `
resource "aws_network_interface" "app" {
  subnet_id       = aws_subnet.p.id
  security_groups = [aws_security_group.app.id]
}

resource "aws_instance" "app" {
  network_interface {
    network_interface_id = aws_network_interface.app.id
    device_index         = 0
  }
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
}`;
  const r = analyzeFiles(tf({ target }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'targetSg').label, 'aws_security_group.app', describe(r));
  assert.equal(hop(p, 'targetSg').verdict, 'open');
  assert.equal(p.verdict, 'open');
});

// ---------------------------------------------------------------------------------------------------------
// Health-check port different from the traffic port (A4.3, A4.8).

test('Terraform health-check port: checked on the target SG ingress and the NLB SG egress', () => {
  const tg = (port: string) => `
resource "aws_lb_target_group" "app" {
  port     = 8443
  protocol = "TCP"
  vpc_id   = aws_vpc.p.id
  health_check {
    protocol = "TCP"
    port     = ${port}
  }
}`;
  const r = analyzeFiles(tf({ tg: tg('"8081"') }));
  const p = pathFrom(r, 'aws_instance.client');
  assert.equal(hop(p, 'nlbSg').verdict, 'blocked');
  assert.equal(hop(p, 'targetSg').verdict, 'blocked');
  const pl024 = findingsOf(r.findings, 'PL024');
  const pl025 = findingsOf(r.findings, 'PL025');
  assert.equal(pl024.length, 1);
  assert.equal(pl025.length, 1);
  assert.match(pl024[0].message, /TCP 8081 \(health checks\)/);
  assert.match(pl025[0].message, /TCP 8081 \(health checks\)/);
  // Both groups allow 8081 too: open. The port may be written as a number as well.
  const both = analyzeFiles(
    tf({
      tg: tg('8081'),
      nlbSg:
        tfBlock('ingress', 443, 'cidr_blocks = ["10.1.0.0/16"]') +
        tfBlock('egress', 8443, 'security_groups = [aws_security_group.app.id]') +
        tfBlock('egress', 8081, 'security_groups = [aws_security_group.app.id]'),
      appSg: tfBlock('ingress', 8443, 'security_groups = [aws_security_group.nlb.id]') + tfBlock('ingress', 8081, 'security_groups = [aws_security_group.nlb.id]'),
    }),
  );
  allOpen(pathFrom(both, 'aws_instance.client'));
  // "traffic-port" is the traffic port: nothing more to allow.
  allOpen(pathFrom(analyzeFiles(tf({ tg: tg('"traffic-port"') })), 'aws_instance.client'));
});

test('CloudFormation HealthCheckPort: checked on the target SG ingress and the NLB SG egress', () => {
  const tg = (hc: string) =>
    cfnRes('Tg', 'AWS::ElasticLoadBalancingV2::TargetGroup', `      Port: 8443
      Protocol: TCP
      VpcId: !Ref ProviderVpc
      HealthCheckProtocol: TCP
      HealthCheckPort: "${hc}"
      Targets:
        - Id: !Ref App`);
  const r = analyzeFiles(cfn({ tg: tg('8081') }));
  const p = pathFrom(r, 'Client');
  assert.equal(hop(p, 'nlbSg').verdict, 'blocked');
  assert.equal(hop(p, 'targetSg').verdict, 'blocked');
  assert.match(findingsOf(r.findings, 'PL024')[0]?.message ?? '', /TCP 8081 \(health checks\)/);
  assert.match(findingsOf(r.findings, 'PL025')[0]?.message ?? '', /TCP 8081 \(health checks\)/);
  allOpen(pathFrom(analyzeFiles(cfn({ tg: tg('traffic-port') })), 'Client'));
  const both = analyzeFiles(
    cfn({
      tg: tg('8081'),
      nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(8443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}\n${cfnItem(8081, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}`,
      providerExtra: cfnRes('AppFromNlbHealth', 'AWS::EC2::SecurityGroupIngress', `      GroupId: !GetAtt AppSg.GroupId
      IpProtocol: tcp
      FromPort: 8081
      ToPort: 8081
      SourceSecurityGroupId: !GetAtt NlbSg.GroupId`),
    }),
  );
  allOpen(pathFrom(both, 'Client'));
});

// ---------------------------------------------------------------------------------------------------------
// Targets, CloudFormation.

const CFN_APP_LT = cfnRes('AppLt', 'AWS::EC2::LaunchTemplate', `      LaunchTemplateData:
        SecurityGroupIds: [!GetAtt AppSg.GroupId]`);
const cfnTg = (extra = '', type = 'instance') =>
  cfnRes('Tg', 'AWS::ElasticLoadBalancingV2::TargetGroup', `      Port: 8443
      Protocol: TCP
      TargetType: ${type}
      VpcId: !Ref ProviderVpc${extra}`);

const CFN_TARGETS: { name: string; address: string; target: string; tg: string }[] = [
  {
    name: 'TargetGroup Targets (instance)',
    address: 'App',
    target: cfnRes('App', 'AWS::EC2::Instance', `      SubnetId: !Ref ProviderSubnet
      SecurityGroupIds: [!GetAtt AppSg.GroupId]`),
    tg: cfnTg('\n      Targets:\n        - Id: !Ref App'),
  },
  {
    name: 'TargetGroup Targets (IP of an instance, GetAtt PrivateIp)',
    address: 'App',
    target: cfnRes('App', 'AWS::EC2::Instance', `      SubnetId: !Ref ProviderSubnet
      SecurityGroupIds: [!GetAtt AppSg.GroupId]`),
    tg: cfnTg('\n      Targets:\n        - Id: !GetAtt App.PrivateIp', 'ip'),
  },
  {
    name: 'AutoScalingGroup TargetGroupARNs',
    address: 'AppAsg',
    target:
      CFN_APP_LT +
      cfnRes('AppAsg', 'AWS::AutoScaling::AutoScalingGroup', `      MinSize: "1"
      MaxSize: "2"
      VPCZoneIdentifier: [!Ref ProviderSubnet]
      TargetGroupARNs: [!Ref Tg]
      LaunchTemplate:
        LaunchTemplateId: !Ref AppLt
        Version: !GetAtt AppLt.LatestVersionNumber`),
    tg: cfnTg(),
  },
  {
    name: 'ECS Service LoadBalancers',
    address: 'AppService',
    target: cfnRes('AppService', 'AWS::ECS::Service', `      LaunchType: FARGATE
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [!Ref ProviderSubnet]
          SecurityGroups: [!GetAtt AppSg.GroupId]
      LoadBalancers:
        - TargetGroupArn: !Ref Tg
          ContainerName: app
          ContainerPort: 8443`),
    tg: cfnTg('', 'ip'),
  },
];

for (const t of CFN_TARGETS) {
  test(`CloudFormation target ${t.name}: the target's groups are the target SG hop`, () => {
    const r = analyzeFiles(cfn({ target: t.target, tg: t.tg }));
    const p = pathFrom(r, 'Client');
    allOpen(p);
    assert.equal(hop(p, 'target').label, t.address);
    assert.equal(hop(p, 'targetSg').label, 'AppSg');
    assert.deepEqual(errors(r), []);
    const blocked = analyzeFiles(
      cfn({
        target: t.target,
        tg: t.tg,
        appSg: `\n      SecurityGroupIngress:\n${cfnItem(9000, 'CidrIp: 10.0.1.0/24')}`,
      }),
    );
    assert.equal(hop(pathFrom(blocked, 'Client'), 'targetSg').verdict, 'blocked');
    assert.equal(findingsOf(blocked.findings, 'PL025').length, 1, describe(blocked));
  });
}

test('CloudFormation IP target by literal address', () => {
  const r = analyzeFiles(
    cfn({
      target: '',
      tg: cfnTg('\n      Targets:\n        - Id: 10.0.1.10', 'ip'),
      nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(8443, 'CidrIp: 10.0.1.10/32')}`,
    }),
  );
  const p = pathFrom(r, 'Client');
  assert.equal(hop(p, 'target').label, 'IP 10.0.1.10');
  assert.equal(p.verdict, 'open', describe(r));
});

test('CloudFormation target Port overrides the target group port; the default health check follows it', () => {
  const r = analyzeFiles(
    cfn({
      tg: cfnTg('\n      Targets:\n        - Id: !Ref App\n          Port: 9443'),
      nlbSg: `\n      SecurityGroupIngress:\n${cfnItem(443, 'CidrIp: 10.1.0.0/16')}\n      SecurityGroupEgress:\n${cfnItem(9443, 'DestinationSecurityGroupId: !GetAtt AppSg.GroupId')}`,
      appSg: `\n      SecurityGroupIngress:\n${cfnItem(9443, 'CidrIp: 10.0.1.0/24')}`,
    }),
  );
  allOpen(pathFrom(r, 'Client'));
  assert.deepEqual(findingsOf(r.findings, 'PL024'), []);
  assert.deepEqual(findingsOf(r.findings, 'PL025'), []);
});
