import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits, findingsOf, textAt } from './helpers';

const PROVIDER = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          CidrIp: 10.0.1.0/24
  App:
    Type: AWS::EC2::Instance
    Properties:
      SubnetId: !Ref Subnet
      SecurityGroupIds: [!GetAtt AppSg.GroupId]
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      Scheme: internal
      Subnets: [!Ref Subnet]
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      Protocol: TCP
      VpcId: !Ref Vpc
      Targets:
        - Id: !Ref App
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Nlb
      Port: 443
      Protocol: TCP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Tg
  Service:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      AcceptanceRequired: true
      NetworkLoadBalancerArns: [!Ref Nlb]
Outputs:
  ServiceId:
    Value: !Ref Service
    Export:
      Name: provider-service
`;

function consumer(egress: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.1.1.0/24
  ClientSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: client
      VpcId: !Ref Vpc
${egress}
  EndpointSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !GetAtt ClientSg.GroupId
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: [!Ref Subnet]
        SecurityGroupIds: [!GetAtt ClientSg.GroupId]
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: !Sub
        - "com.amazonaws.vpce.\${AWS::Region}.\${Svc}"
        - Svc: !ImportValue provider-service
      SubnetIds: [!Ref Subnet]
      SecurityGroupIds: [!GetAtt EndpointSg.GroupId]
`;
}

test('CloudFormation: two stacks linked by an export; the default egress keeps the client open', () => {
  const r = analyzeFiles({ '/ws/provider.yaml': PROVIDER, '/ws/consumer.yaml': consumer('') });
  const withEndpoint = r.paths.filter((p) => p.hops[0].kind === 'client');
  assert.equal(withEndpoint.length, 1, JSON.stringify(r.paths.map((p) => p.hops.map((h) => `${h.kind}:${h.verdict}`))));
  const p = withEndpoint[0];
  assert.equal(p.hops.find((h) => h.kind === 'clientSg')!.verdict, 'open');
  assert.equal(p.hops.find((h) => h.kind === 'endpointSg')!.verdict, 'open');
  assert.equal(p.hops.find((h) => h.kind === 'nlbSg')!.verdict, 'open');
  assert.equal(p.hops.find((h) => h.kind === 'targetSg')!.verdict, 'open');
  assert.equal(p.verdict, 'open');
  assert.equal(findingsOf(r.findings, 'PL020').length, 1, 'NLB without SGs');
  assert.deepEqual(
    r.findings.filter((f) => f.severity === 'error'),
    [],
  );
});

test('CloudFormation PL001: an explicit egress list without the listener port; the fix adds a standalone egress resource', () => {
  const files = {
    '/ws/provider.yaml': PROVIDER,
    '/ws/consumer.yaml': consumer(`      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 80
          ToPort: 80
          CidrIp: 10.1.1.0/24`),
  };
  const r = analyzeFiles(files);
  const pl001 = findingsOf(r.findings, 'PL001');
  assert.equal(pl001.length, 1);
  assert.equal(textAt(files, pl001[0]), 'ClientSg');
  const fix = pl001[0].fixes[0];
  assert.match(fix.edits[0].newText, /Type: AWS::EC2::SecurityGroupEgress/);
  assert.match(fix.edits[0].newText, /DestinationSecurityGroupId: !GetAtt EndpointSg\.GroupId/);
  const again = analyzeFiles(applyEdits(files, fix.edits));
  assert.deepEqual(findingsOf(again.findings, 'PL001'), []);
  assert.deepEqual(findingsOf(again.findings, 'parse-error'), []);
});

test('CloudFormation PL025: the target SG admits another subnet only; the CIDR fix appends to the inline list', () => {
  const files = { '/ws/provider.yaml': PROVIDER.replace('CidrIp: 10.0.1.0/24', 'CidrIp: 10.0.9.0/24'), '/ws/consumer.yaml': consumer('') };
  const r = analyzeFiles(files);
  const pl025 = findingsOf(r.findings, 'PL025');
  assert.equal(pl025.length, 1);
  const fix = pl025[0].fixes[0];
  assert.match(fix.edits[0].newText, /\n        - IpProtocol: tcp\n          FromPort: 8080/);
  assert.deepEqual(findingsOf(analyzeFiles(applyEdits(files, fix.edits)).findings, 'PL025'), []);
});

test('an import with no export in the workspace leaves the link unresolved (PL035)', () => {
  const r = analyzeFiles({ '/ws/consumer.yaml': consumer('') });
  const pl035 = findingsOf(r.findings, 'PL035');
  assert.ok(pl035.some((f) => /provider-service/.test(f.message)), JSON.stringify(pl035.map((f) => f.message)));
  assert.equal(r.paths.length, 0);
});
