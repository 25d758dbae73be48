import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify as toYaml } from 'yaml';
import { readCloudFormation, resolveImports, type CfnReadResult } from '../../server/src/engine/resolve/cloudformation';
import { isCloudFormation, parseCfnJson, parseCfnYaml } from '../../server/src/engine/parse/cloudformation';
import { cidrSubnets } from '../../server/src/engine/resolve/cloudformation/cidr';
import { toJson, type Value } from '../../server/src/engine/model/value';
import type { Resource } from '../../server/src/engine/model/resource';

const FILE = 'stack';
const K = (id: string): string => `cfn:${FILE}:${id}`;

function resource(r: CfnReadResult, id: string): Resource {
  const found = r.resources.find((x) => x.address === id);
  assert.ok(found, `resource ${id} not read; have ${r.resources.map((x) => x.address).join(', ')}`);
  return found;
}

function attrsJson(r: Resource): unknown {
  return Object.fromEntries(Object.entries(r.attrs).map(([k, v]) => [k, toJson(v)]));
}

function slice(text: string, s: { start: number; end: number } | undefined): string {
  assert.ok(s, 'span missing');
  return text.slice(s.start, s.end);
}

// ------------------------------------------------------------------------------------------------
// Intrinsics, each in YAML short form, YAML long form and JSON.

/** Everything the probes refer to, written once and emitted as YAML and as JSON. */
const BASE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: {
    Env: { Type: 'String', Default: 'prod' },
    Port: { Type: 'Number', Default: 443 },
    Cidrs: { Type: 'CommaDelimitedList', Default: '10.0.0.0/16, 10.1.0.0/16' },
    Ports: { Type: 'List<Number>', Default: '80,443' },
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-a,subnet-b' },
    VpcId: { Type: 'AWS::EC2::VPC::Id' },
    AmiId: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/ami' },
    Account: { Type: 'String', Default: '012345678901' },
  },
  Mappings: {
    RegionMap: {
      'us-east-1': { Ami: 'ami-1', Tier: 'standard' },
      'eu-west-1': { Ami: 'ami-2', Tier: 'standard' },
    },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    InUsEast: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
    ProdAndHttps: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'Port' }, '443'] }] },
    DevOrEast: { 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'InUsEast' }] },
    ProdOrEast: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'InUsEast' }] },
  },
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'sg', VpcId: { Ref: 'Vpc' } } },
    Db: { Type: 'AWS::RDS::DBInstance', Properties: {} },
    Svc: { Type: 'AWS::EC2::VPCEndpointService', Properties: { AcceptanceRequired: true } },
  },
};

interface Case {
  name: string;
  /** The YAML short form, as the value of a property (may span lines; indented by the harness). */
  short: string;
  /** The long form, for YAML and JSON. */
  long: unknown;
  expect: unknown;
}

const unknownLike = (fragment: string) => ({ $unknownIncludes: fragment });

const CASES: Case[] = [
  { name: 'Ref resource', short: '!Ref Sg', long: { Ref: 'Sg' }, expect: { $ref: K('Sg'), attr: [] } },
  { name: 'Ref string parameter', short: '!Ref Env', long: { Ref: 'Env' }, expect: 'prod' },
  { name: 'Ref Number parameter', short: '!Ref Port', long: { Ref: 'Port' }, expect: 443 },
  { name: 'Ref CommaDelimitedList', short: '!Ref Cidrs', long: { Ref: 'Cidrs' }, expect: ['10.0.0.0/16', '10.1.0.0/16'] },
  { name: 'Ref List<Number>', short: '!Ref Ports', long: { Ref: 'Ports' }, expect: [80, 443] },
  { name: 'Ref List<Subnet::Id>', short: '!Ref Subnets', long: { Ref: 'Subnets' }, expect: ['subnet-a', 'subnet-b'] },
  { name: 'Ref keeps leading zeros', short: '!Ref Account', long: { Ref: 'Account' }, expect: '012345678901' },
  { name: 'Ref without Default', short: '!Ref VpcId', long: { Ref: 'VpcId' }, expect: { $unknown: 'parameter VpcId has no Default' } },
  { name: 'Ref SSM parameter', short: '!Ref AmiId', long: { Ref: 'AmiId' }, expect: { $unknown: 'parameter AmiId is resolved from SSM at deploy time' } },
  { name: 'Ref AWS::Region', short: '!Ref AWS::Region', long: { Ref: 'AWS::Region' }, expect: unknownLike('AWS::Region') },
  { name: 'Ref AWS::Partition', short: '!Ref AWS::Partition', long: { Ref: 'AWS::Partition' }, expect: unknownLike('AWS::Partition') },
  { name: 'Ref missing', short: '!Ref Nope', long: { Ref: 'Nope' }, expect: { $unknown: 'no resource or parameter named Nope in this template' } },
  { name: 'GetAtt string', short: '!GetAtt Sg.GroupId', long: { 'Fn::GetAtt': 'Sg.GroupId' }, expect: { $ref: K('Sg'), attr: ['GroupId'] } },
  { name: 'GetAtt list', short: '!GetAtt [Sg, GroupId]', long: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, expect: { $ref: K('Sg'), attr: ['GroupId'] } },
  {
    name: 'GetAtt dotted attribute',
    short: '!GetAtt Db.Endpoint.Address',
    long: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
    expect: { $ref: K('Db'), attr: ['Endpoint.Address'] },
  },
  {
    name: 'GetAtt of a parameter',
    short: '!GetAtt Env.Value',
    long: { 'Fn::GetAtt': ['Env', 'Value'] },
    expect: { $unknown: 'Fn::GetAtt needs a resource, and Env is a parameter' },
  },
  {
    name: 'GetAtt missing',
    short: '!GetAtt Nope.Arn',
    long: { 'Fn::GetAtt': ['Nope', 'Arn'] },
    expect: { $unknown: 'no resource or parameter named Nope in this template' },
  },
  {
    name: 'Sub with pseudo parameter and resource',
    short: '!Sub "com.amazonaws.vpce.${AWS::Region}.${Svc}"',
    long: { 'Fn::Sub': 'com.amazonaws.vpce.${AWS::Region}.${Svc}' },
    expect: {
      $concat: ['com.amazonaws.vpce.', unknownLike('AWS::Region'), '.', { $ref: K('Svc'), attr: [] }],
    },
  },
  { name: 'Sub all known', short: '!Sub "${Env}-${Port}"', long: { 'Fn::Sub': '${Env}-${Port}' }, expect: 'prod-443' },
  {
    name: 'Sub with variables',
    short: '!Sub\n  - "${Name}-${Env}"\n  - Name: !Join ["", [a, b]]',
    long: { 'Fn::Sub': ['${Name}-${Env}', { Name: { 'Fn::Join': ['', ['a', 'b']] } }] },
    expect: 'ab-prod',
  },
  { name: 'Sub escape', short: '!Sub "${!Literal}-${Env}"', long: { 'Fn::Sub': '${!Literal}-${Env}' }, expect: '${Literal}-prod' },
  { name: 'Sub GetAtt alone is the reference', short: '!Sub "${Sg.GroupId}"', long: { 'Fn::Sub': '${Sg.GroupId}' }, expect: { $ref: K('Sg'), attr: ['GroupId'] } },
  { name: 'Join known', short: '!Join ["-", [a, !Ref Env]]', long: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] }, expect: 'a-prod' },
  {
    name: 'Join with a reference',
    short: '!Join ["", ["arn:", !Ref Sg]]',
    long: { 'Fn::Join': ['', ['arn:', { Ref: 'Sg' }]] },
    expect: { $concat: ['arn:', { $ref: K('Sg'), attr: [] }] },
  },
  { name: 'Join a list parameter', short: '!Join [";", !Ref Subnets]', long: { 'Fn::Join': [';', { Ref: 'Subnets' }] }, expect: 'subnet-a;subnet-b' },
  {
    name: 'Join drops AWS::NoValue items',
    short: '!Join [",", [a, !Ref AWS::NoValue, b]]',
    long: { 'Fn::Join': [',', ['a', { Ref: 'AWS::NoValue' }, 'b']] },
    expect: 'a,b',
  },
  { name: 'Select', short: '!Select [1, !Ref Cidrs]', long: { 'Fn::Select': [1, { Ref: 'Cidrs' }] }, expect: '10.1.0.0/16' },
  { name: 'Select string index', short: '!Select ["0", [x, y]]', long: { 'Fn::Select': ['0', ['x', 'y']] }, expect: 'x' },
  {
    name: 'Select from GetAZs',
    short: '!Select [0, !GetAZs ""]',
    long: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    expect: unknownLike('Availability Zones'),
  },
  { name: 'Select out of range', short: '!Select [5, [a]]', long: { 'Fn::Select': [5, ['a']] }, expect: unknownLike('index 5 is outside a list of 1') },
  { name: 'Split', short: '!Split [",", "a,b,,c"]', long: { 'Fn::Split': [',', 'a,b,,c'] }, expect: ['a', 'b', '', 'c'] },
  {
    name: 'Select of Split',
    short: '!Select [1, !Split ["/", !Sub "x/${Env}/y"]]',
    long: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Sub': 'x/${Env}/y' }] }] },
    expect: 'prod',
  },
  { name: 'If true', short: '!If [IsProd, big, small]', long: { 'Fn::If': ['IsProd', 'big', 'small'] }, expect: 'big' },
  { name: 'If via Not', short: '!If [IsDev, big, small]', long: { 'Fn::If': ['IsDev', 'big', 'small'] }, expect: 'small' },
  { name: 'If via And', short: '!If [ProdAndHttps, y, n]', long: { 'Fn::If': ['ProdAndHttps', 'y', 'n'] }, expect: 'y' },
  {
    name: 'If undecidable',
    short: '!If [InUsEast, a, b]',
    long: { 'Fn::If': ['InUsEast', 'a', 'b'] },
    expect: unknownLike('depends on condition InUsEast, which cannot be decided statically'),
  },
  { name: 'If undecidable with equal branches', short: '!If [InUsEast, same, same]', long: { 'Fn::If': ['InUsEast', 'same', 'same'] }, expect: 'same' },
  { name: 'Or with one undecidable operand that is not needed', short: '!If [ProdOrEast, y, n]', long: { 'Fn::If': ['ProdOrEast', 'y', 'n'] }, expect: 'y' },
  {
    name: 'Or undecidable',
    short: '!If [DevOrEast, y, n]',
    long: { 'Fn::If': ['DevOrEast', 'y', 'n'] },
    expect: unknownLike('depends on condition DevOrEast, which cannot be decided statically: condition InUsEast: AWS::Region is the Region'),
  },
  {
    name: 'Equals as a value',
    short: '!Equals [!Ref Env, prod]',
    long: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    expect: true,
  },
  {
    name: 'And/Or/Not/Condition tags as a value',
    short: '!And [!Condition IsProd, !Not [!Condition IsDev], !Or [!Equals [a, b], !Equals [1, "1"]]]',
    long: {
      'Fn::And': [
        { Condition: 'IsProd' },
        { 'Fn::Not': [{ Condition: 'IsDev' }] },
        { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Equals': [1, '1'] }] },
      ],
    },
    expect: true,
  },
  {
    name: 'FindInMap',
    short: '!FindInMap [RegionMap, eu-west-1, Ami]',
    long: { 'Fn::FindInMap': ['RegionMap', 'eu-west-1', 'Ami'] },
    expect: 'ami-2',
  },
  {
    name: 'FindInMap by Region, same everywhere',
    short: '!FindInMap [RegionMap, !Ref AWS::Region, Tier]',
    long: { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Tier'] },
    expect: 'standard',
  },
  {
    name: 'FindInMap by Region, different values',
    short: '!FindInMap [RegionMap, !Ref AWS::Region, Ami]',
    long: { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Ami'] },
    expect: unknownLike('AWS::Region'),
  },
  {
    name: 'FindInMap missing key with DefaultValue',
    short: '!FindInMap [RegionMap, ap-south-1, Ami, {DefaultValue: ami-0}]',
    long: { 'Fn::FindInMap': ['RegionMap', 'ap-south-1', 'Ami', { DefaultValue: 'ami-0' }] },
    expect: 'ami-0',
  },
  {
    name: 'FindInMap missing key',
    short: '!FindInMap [RegionMap, ap-south-1, Ami]',
    long: { 'Fn::FindInMap': ['RegionMap', 'ap-south-1', 'Ami'] },
    expect: unknownLike('mapping RegionMap has no entry ap-south-1 / Ami'),
  },
  { name: 'ImportValue', short: '!ImportValue net-VpcId', long: { 'Fn::ImportValue': 'net-VpcId' }, expect: { $import: 'net-VpcId' } },
  {
    name: 'ImportValue of Sub (short tag over a long-form mapping)',
    short: '!ImportValue\n  Fn::Sub: "${Env}-SgId"',
    long: { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-SgId' } },
    expect: { $import: 'prod-SgId' },
  },
  {
    name: 'ImportValue of an unknown name',
    short: '!ImportValue\n  Fn::Sub: "${AWS::StackName}-SgId"',
    long: { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-SgId' } },
    expect: unknownLike('the export name of Fn::ImportValue is not known statically'),
  },
  { name: 'GetAZs', short: '!GetAZs ""', long: { 'Fn::GetAZs': '' }, expect: unknownLike('Availability Zones') },
  { name: 'Base64 encodes', short: '!Base64 "echo ${x}"', long: { 'Fn::Base64': 'echo ${x}' }, expect: Buffer.from('echo ${x}').toString('base64') },
  { name: 'Base64 of Sub', short: '!Base64\n  Fn::Sub: "env=${Env}"', long: { 'Fn::Base64': { 'Fn::Sub': 'env=${Env}' } }, expect: Buffer.from('env=prod').toString('base64') },
  {
    name: 'Cidr',
    short: '!Cidr ["10.0.0.0/16", 3, 8]',
    long: { 'Fn::Cidr': ['10.0.0.0/16', 3, 8] },
    expect: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'],
  },
  {
    name: 'Cidr from the VPC CidrBlock written in the template',
    short: '!Select [2, !Cidr [!GetAtt Vpc.CidrBlock, 4, 6]]',
    long: { 'Fn::Select': [2, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 6] }] },
    expect: '10.0.0.128/26',
  },
  {
    name: 'Cidr of an unknown block',
    short: '!Cidr [!Ref VpcId, 2, 8]',
    long: { 'Fn::Cidr': [{ Ref: 'VpcId' }, 2, 8] },
    expect: unknownLike('parameter VpcId has no Default'),
  },
  { name: 'Cidr too many', short: '!Cidr ["10.0.0.0/24", 5, 6]', long: { 'Fn::Cidr': ['10.0.0.0/24', 5, 6] }, expect: unknownLike('holds only 4') },
  {
    name: 'GetStackOutput',
    short: '!GetStackOutput {StackName: net, OutputName: VpcId}',
    long: { 'Fn::GetStackOutput': { StackName: 'net', OutputName: 'VpcId' } },
    expect: unknownLike('another stack'),
  },
  {
    name: 'Transform',
    short: '!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}',
    long: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    expect: unknownLike('macro'),
  },
  { name: 'Unknown function', short: '{"Fn::Frobnicate": [1]}', long: { 'Fn::Frobnicate': [1] }, expect: unknownLike('Fn::Frobnicate is not evaluated') },
];

/** deepEqual, except that `{$unknownIncludes: s}` matches an unknown whose reason contains s. */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected && typeof expected === 'object' && '$unknownIncludes' in expected) {
    const frag = (expected as { $unknownIncludes: string }).$unknownIncludes;
    return !!actual && typeof actual === 'object' && '$unknown' in actual && String((actual as { $unknown: string }).$unknown).includes(frag);
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const ek = Object.keys(expected);
    const ak = Object.keys(actual);
    return ek.length === ak.length && ek.every((k) => matches((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return actual === expected;
}

function withProbe(probe: unknown): Record<string, unknown> {
  return { ...BASE, Resources: { ...BASE.Resources, Probe: { Type: 'AWS::SSM::Parameter', Properties: { Value: probe } } } };
}

function shortYaml(snippet: string): string {
  const lines = snippet.split('\n');
  const body = lines.length === 1 ? ` ${snippet}` : ` ${lines[0]}\n${lines.slice(1).map((l) => `        ${l}`).join('\n')}`;
  return `${toYaml(BASE)}  Probe:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value:${body}\n`;
}

for (const c of CASES) {
  test(`intrinsic: ${c.name}`, () => {
    const forms: [string, string, boolean][] = [
      ['YAML short', shortYaml(c.short), false],
      ['YAML long', toYaml(withProbe(c.long)), false],
      ['JSON', JSON.stringify(withProbe(c.long), null, 2), true],
    ];
    for (const [form, text, json] of forms) {
      const r = readCloudFormation(FILE, text, json);
      assert.deepEqual(r.errors, [], `${form}: ${text}`);
      const probe = resource(r, 'Probe');
      const got = toJson(probe.attrs.Value);
      assert.ok(matches(got, c.expect), `${form}: got ${JSON.stringify(got)}, expected ${JSON.stringify(c.expect)}\n${text.slice(-300)}`);
    }
  });
}

// ------------------------------------------------------------------------------------------------
// Positions

test('spans: resource, logical id, properties, and origins of intrinsic results', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  Env:',
    '    Type: String',
    '    Default: prod',
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: !Sub "sg-${Env}"',
    '      VpcId: !Ref Vpc',
    '      Name: !Ref Env',
    '      Service: !Sub "com.amazonaws.vpce.${AWS::Region}.${Vpc}"',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    '',
  ].join('\n');
  const r = readCloudFormation(FILE, text, false);
  const sg = resource(r, 'Sg');
  assert.equal(sg.key, K('Sg'));
  assert.equal(sg.lang, 'cloudformation');
  assert.equal(sg.type, 'AWS::EC2::SecurityGroup');
  assert.equal(sg.mode, 'managed');
  assert.equal(sg.root, FILE);
  assert.equal(slice(text, sg.nameSpan), 'Sg');
  assert.ok(slice(text, sg.span).startsWith('Sg:\n    Type: AWS::EC2::SecurityGroup'));
  assert.ok(slice(text, sg.span).endsWith('${Vpc}"'));
  assert.equal(slice(text, sg.attrSpans.VpcId), 'VpcId: !Ref Vpc');
  assert.equal(slice(text, sg.attrSpans.GroupDescription), 'GroupDescription: !Sub "sg-${Env}"');
  assert.equal(slice(text, sg.attrs.VpcId.origin?.span), '!Ref Vpc');
  assert.equal(sg.attrs.VpcId.origin?.file, FILE);
  // A parameter's default points at the Default text, where it would be changed.
  assert.equal(slice(text, sg.attrs.Name.origin?.span), 'prod');
  const service = sg.attrs.Service;
  assert.equal(service.kind, 'concat');
  if (service.kind === 'concat') {
    assert.equal(slice(text, service.parts[1].origin?.span), '${AWS::Region}');
    assert.equal(slice(text, service.parts[3].origin?.span), '${Vpc}');
    assert.equal(slice(text, service.parts[0].origin?.span), 'com.amazonaws.vpce.');
  }
  const vpc = resource(r, 'Vpc');
  assert.deepEqual(vpc.attrs, {});
  assert.equal(slice(text, vpc.span), 'Vpc:\n    Type: AWS::EC2::VPC');
});

test('spans: JSON', () => {
  const text = JSON.stringify(
    { AWSTemplateFormatVersion: '2010-09-09', Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } }, Vpc: { Type: 'AWS::EC2::VPC' } } },
    null,
    2,
  );
  const r = readCloudFormation(FILE, text, true);
  const sg = resource(r, 'Sg');
  assert.equal(slice(text, sg.nameSpan), '"Sg"');
  assert.ok(slice(text, sg.span).startsWith('"Sg": {'));
  assert.ok(slice(text, sg.span).endsWith('}'));
  assert.match(slice(text, sg.attrSpans.VpcId), /^"VpcId": \{\s+"Ref": "Vpc"\s+\}$/);
  assert.match(slice(text, sg.attrs.VpcId.origin?.span), /^\{\s+"Ref": "Vpc"\s+\}$/);
  assert.deepEqual(r.comments, []);
});

test('tree: short tags become long forms with the tag as key', () => {
  const text = 'A: !GetAtt [Sg, GroupId]\nB: !Ref X\nC: !Base64\n  Fn::Sub: y\nD: [!Ref P, !Sub "q"]\n';
  const t = parseCfnYaml(text);
  assert.deepEqual(t.errors, []);
  assert.equal(t.root?.kind, 'mapping');
  if (t.root?.kind !== 'mapping') return;
  const [a, b, c, d] = t.root.entries;
  assert.equal(a.value.kind, 'mapping');
  if (a.value.kind === 'mapping') {
    assert.equal(a.value.tag, '!GetAtt');
    assert.equal(a.value.entries[0].key, 'Fn::GetAtt');
    assert.equal(slice(text, a.value.entries[0].keySpan), '!GetAtt');
    assert.equal(slice(text, a.value.span), '!GetAtt [Sg, GroupId]');
    assert.equal(a.value.entries[0].value.kind, 'sequence');
  }
  if (b.value.kind === 'mapping') assert.equal(b.value.entries[0].key, 'Ref');
  if (c.value.kind === 'mapping') {
    assert.equal(c.value.entries[0].key, 'Fn::Base64');
    assert.equal(slice(text, c.value.span), '!Base64\n  Fn::Sub: y');
  }
  if (d.value.kind === 'sequence') assert.deepEqual(d.value.items.map((i) => slice(text, i.span)), ['!Ref P', '!Sub "q"']);
});

// ------------------------------------------------------------------------------------------------
// Template semantics

test('AWS::NoValue removes properties, list items and object entries', () => {
  const text = `
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  Never: !Equals [a, b]
Resources:
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: !If [Never, named, !Ref AWS::NoValue]
      Port: 443
      Targets:
        - Id: 10.0.0.1
          AvailabilityZone: !Ref AWS::NoValue
        - !If [Never, {Id: x}, !Ref AWS::NoValue]
`;
  const r = readCloudFormation(FILE, text, false);
  const tg = resource(r, 'Tg');
  assert.deepEqual(attrsJson(tg), { Port: 443, Targets: [{ Id: '10.0.0.1' }] });
  assert.deepEqual(Object.keys(tg.attrSpans), ['Port', 'Targets']);
});

test('resource Condition: false omits the resource, undecidable keeps it, refs to an omitted one explain', () => {
  const text = `
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  InEast: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  ProdOnly:
    Type: AWS::EC2::SecurityGroup
    Condition: IsProd
  EastOnly:
    Type: AWS::EC2::SecurityGroup
    Condition: InEast
  User:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref ProdOnly
      SourceSecurityGroupId: !Ref EastOnly
`;
  const r = readCloudFormation(FILE, text, false);
  assert.deepEqual(r.resources.map((x) => x.address), ['EastOnly', 'User']);
  assert.deepEqual(attrsJson(resource(r, 'User')), {
    GroupId: { $unknown: 'resource ProdOnly is not created, its condition IsProd is false' },
    SourceSecurityGroupId: { $ref: K('EastOnly'), attr: [] },
  });
});

test('conditions that refer to themselves or to nothing are undecided, not a crash', () => {
  const text = `
Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  X:
    Type: AWS::SNS::Topic
    Condition: A
    Properties:
      TopicName: !If [A, a, b]
      Other: !If [Missing, a, b]
`;
  const r = readCloudFormation(FILE, text, false);
  const x = resource(r, 'X');
  assert.ok(matches(toJson(x.attrs.TopicName), unknownLike('refers to itself')));
  assert.ok(matches(toJson(x.attrs.Other), unknownLike('no condition named Missing')));
});

test('Properties written as one Fn::If', () => {
  const text = `
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  X:
    Type: AWS::SNS::Topic
    Properties: !If [IsProd, {TopicName: p}, {TopicName: d}]
`;
  const x = resource(readCloudFormation(FILE, text, false), 'X');
  assert.deepEqual(attrsJson(x), { TopicName: 'p' });
  assert.equal(slice(text, x.attrSpans.TopicName), '!If [IsProd, {TopicName: p}, {TopicName: d}]');
});

test('unquoted numbers keep their text where a string is needed (account ids, mapping keys)', () => {
  const text = `
Parameters:
  Account: {Type: String, Default: 012345678901}
Mappings:
  Accounts:
    012345678901: {Name: prod}
Resources:
  X:
    Type: AWS::SNS::Topic
    Properties:
      A: !Ref Account
      B: !FindInMap [Accounts, !Ref Account, Name]
      C: !Sub "arn:aws:iam::\${Account}:root"
      D: 012345678901
      E: 0644
`;
  const x = resource(readCloudFormation(FILE, text, false), 'X');
  assert.deepEqual(attrsJson(x), { A: '012345678901', B: 'prod', C: 'arn:aws:iam::012345678901:root', D: '012345678901', E: '0644' });
});

test('parameters: Number without a numeric default, empty list default, list default written as a YAML list', () => {
  const text = `
Parameters:
  N: {Type: Number, Default: abc}
  Empty: {Type: CommaDelimitedList, Default: ""}
  Seq: {Type: CommaDelimitedList, Default: [a, b]}
Resources:
  X:
    Type: AWS::SNS::Topic
    Properties: {A: !Ref N, B: !Ref Empty, C: !Ref Seq}
`;
  const x = resource(readCloudFormation(FILE, text, false), 'X');
  assert.deepEqual(attrsJson(x), { A: { $unknown: 'the Default of parameter N is not a number' }, B: [], C: ['a', 'b'] });
});

test('Fn::ForEach (AWS::LanguageExtensions) expands resources and their references', () => {
  const text = `
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Services: {Type: CommaDelimitedList, Default: "ssm,ec2-messages"}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
  Fn::ForEach::Endpoints:
    - Name
    - !Ref Services
    - Endpoint&{Name}:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !Ref Vpc
          ServiceName: !Sub "com.amazonaws.\${AWS::Region}.\${Name}"
          Tag: !Ref Name
`;
  const r = readCloudFormation(FILE, text, false);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.resources.map((x) => x.address), ['Vpc', 'Endpointssm', 'Endpointec2messages']);
  const ep = resource(r, 'Endpointec2messages');
  assert.equal(ep.key, K('Endpointec2messages'));
  assert.deepEqual(toJson(ep.attrs.Tag), 'ec2-messages');
  assert.ok(matches(toJson(ep.attrs.ServiceName), { $concat: ['com.amazonaws.', unknownLike('AWS::Region'), '.ec2-messages'] }));
  assert.deepEqual(toJson(ep.attrs.VpcId), { $ref: K('Vpc'), attr: [] });
});

test('SAM and Transform templates read without trouble', () => {
  const text = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 3}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      VpcConfig:
        SecurityGroupIds: [!GetAtt Sg.GroupId]
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://x}}
`;
  const r = readCloudFormation(FILE, text, false);
  assert.equal(r.isTemplate, true);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(attrsJson(resource(r, 'Fn')), { Runtime: 'python3.12', VpcConfig: { SecurityGroupIds: [{ $ref: K('Sg'), attr: ['GroupId'] }] } });
  // Properties that a macro writes are not known; the resource is still there for references.
  assert.deepEqual(resource(r, 'Sg').attrs, {});
});

test('anchors and aliases are expanded, merge keys too', () => {
  const text = `
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A:
    Type: AWS::EC2::SecurityGroup
    Properties:
      Tags: &tags [{Key: team, Value: net}]
      Base: &base {Port: 1, Proto: tcp}
  B:
    Type: AWS::EC2::SecurityGroup
    Properties:
      Tags: *tags
      Merged:
        <<: *base
        Port: 2
`;
  const r = readCloudFormation(FILE, text, false);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(toJson(resource(r, 'B').attrs.Tags), [{ Key: 'team', Value: 'net' }]);
  assert.deepEqual(toJson(resource(r, 'B').attrs.Merged), { Port: 2, Proto: 'tcp' });
});

test('alias explosions are cut off quickly', () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const text = `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  ${levels.join('\n  ')}\nResources:\n  X:\n    Type: AWS::SNS::Topic\n    Properties:\n      Bomb: *j\n`;
  const t0 = Date.now();
  const r = readCloudFormation(FILE, text, false);
  assert.ok(Date.now() - t0 < 2000, 'took too long');
  assert.ok(r.errors.some((e) => e.message.includes('too many nodes')));
});

// ------------------------------------------------------------------------------------------------
// Exports and imports

test('exports, resolveImports across two templates, and the two-pass imports option', () => {
  const net = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x}}
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: net-VpcId}
  SgId:
    Value: !GetAtt Sg.GroupId
    Export:
      Name: !Sub "\${Env}-SgId"
  Subnets:
    Value: "subnet-a,subnet-b"
    Export: {Name: net-Subnets}
  Prefix:
    Value: !Sub "pl-\${Env}"
    Export: {Name: net-Prefix}
  ByStack:
    Value: x
    Export:
      Name: !Sub "\${AWS::StackName}-X"
  NoExport:
    Value: y
`;
  const app = `
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Ep:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !ImportValue net-VpcId
      SecurityGroupIds:
        - Fn::ImportValue: !Sub "prod-SgId"
      Name: !Sub
        - "\${P}-endpoint"
        - P: !ImportValue net-Prefix
      Missing: !ImportValue nobody-exports-this
      FirstSubnet: !Select [0, !Split [",", !ImportValue net-Subnets]]
`;
  const n = readCloudFormation('net.yaml', net, false);
  assert.deepEqual(
    n.exports.map((e) => [e.name, toJson(e.value)]),
    [
      ['net-VpcId', { $ref: 'cfn:net.yaml:Vpc', attr: [] }],
      ['prod-SgId', { $ref: 'cfn:net.yaml:Sg', attr: ['GroupId'] }],
      ['net-Subnets', 'subnet-a,subnet-b'],
      ['net-Prefix', 'pl-prod'],
    ],
  );
  assert.ok(slice(net, n.exports[0].span).startsWith('VpcId:\n    Value: !Ref Vpc'));

  const a = readCloudFormation('app.yaml', app, false);
  const ep = resource(a, 'Ep');
  assert.deepEqual(toJson(ep.attrs.VpcId), { $import: 'net-VpcId' });
  assert.deepEqual(toJson(ep.attrs.Name), { $concat: [{ $import: 'net-Prefix' }, '-endpoint'] });
  assert.ok(matches(toJson(ep.attrs.FirstSubnet), unknownLike('imported from the export net-Subnets')));

  const exports = new Map<string, Value>(n.exports.map((e) => [e.name, e.value]));
  resolveImports(a.resources, exports);
  assert.deepEqual(attrsJson(ep), {
    VpcId: { $ref: 'cfn:net.yaml:Vpc', attr: [] },
    SecurityGroupIds: [{ $ref: 'cfn:net.yaml:Sg', attr: ['GroupId'] }],
    Name: 'pl-prod-endpoint',
    Missing: { $unknown: 'no stack in the workspace exports nobody-exports-this' },
    FirstSubnet: toJson(ep.attrs.FirstSubnet),
  });
  // The resolved value keeps the origin of the text that defines it, in the other file.
  assert.equal(ep.attrs.VpcId.origin?.file, 'net.yaml');

  // With the exports known up front, functions over imports are computed.
  const again = readCloudFormation('app.yaml', app, false, { imports: exports });
  assert.equal(toJson(resource(again, 'Ep').attrs.FirstSubnet), 'subnet-a');
});

test('resolveImports follows chains and stops at cycles', () => {
  const imp = (name: string): Value => ({ kind: 'import', name });
  const exports = new Map<string, Value>([
    ['a', imp('b')],
    ['b', { kind: 'string', value: 'B' }],
    ['loop1', imp('loop2')],
    ['loop2', imp('loop1')],
  ]);
  const r: Resource = {
    key: 'k',
    lang: 'cloudformation',
    type: 'T',
    mode: 'managed',
    address: 'X',
    file: 'f',
    span: { start: 0, end: 0 },
    nameSpan: { start: 0, end: 0 },
    attrs: { A: imp('a'), L: { kind: 'list', items: [imp('loop1')] }, O: { kind: 'object', entries: { x: { kind: 'concat', parts: [imp('b'), { kind: 'string', value: '!' }] } } } },
    attrSpans: {},
    root: 'f',
    annotations: [],
  };
  resolveImports([r], exports);
  assert.deepEqual(attrsJson(r), { A: 'B', L: [{ $unknown: 'the export loop1 imports itself' }], O: { x: 'B!' } });
});

// ------------------------------------------------------------------------------------------------
// Detection

test('detection: non-templates are ignored silently', () => {
  const k8s = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  annotations:
    note: "created from AWS::EC2::VPC outputs"
data:
  Resources: "none"
---
apiVersion: apps/v1
kind: Deployment
`;
  const pkg = JSON.stringify({ name: 'x', description: 'Reads AWS::EC2::VPCEndpoint resources', scripts: { build: 'tsc' } }, null, 2);
  const workflow = `name: deploy
on: [push]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: aws cloudformation deploy --template-file t.yaml # creates AWS::EC2::VPCEndpoint
`;
  const tsconfig = '{ "compilerOptions": { "strict": true } }';
  const notAwsTypes = 'Resources:\n  X:\n    Type: Custom::Thing\n';
  for (const [text, json] of [
    [k8s, false],
    [pkg, true],
    [workflow, false],
    [tsconfig, true],
    [notAwsTypes, false],
    ['', false],
    ['', true],
    ['{ broken AWS:: json', true],
    [': : AWS::\n  - ]', false],
  ] as [string, boolean][]) {
    assert.deepEqual(readCloudFormation('f', text, json), { isTemplate: false, errors: [], resources: [], exports: [], comments: [] }, text);
  }
  assert.equal(isCloudFormation(parseCfnYaml('Resources:\n  F:\n    Type: AWS::Serverless::Function\n')), true);
  assert.equal(isCloudFormation(parseCfnJson('{"AWSTemplateFormatVersion": "2010-09-09"}')), true);
  assert.equal(isCloudFormation(parseCfnYaml('Transform: [AWS::LanguageExtensions]\nResources:\n  Fn::ForEach::X: [a, [b], {}]\n')), true);
});

test('annotations come from YAML comments above and inside a resource', () => {
  const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # privatelink-lens: service = ../provider/template.yaml#EndpointService
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      ServiceName: !Ref ServiceName  # privatelink-lens-ignore PL035 declared above

  # an ordinary comment

  Other:
    Type: AWS::EC2::SecurityGroup
`;
  const r = readCloudFormation(FILE, text, false);
  const ep = resource(r, 'Endpoint');
  assert.deepEqual(
    ep.annotations.map((a) => [a.kind, a.value, a.reason]),
    [
      ['link', '../provider/template.yaml#EndpointService', undefined],
      ['ignore', 'PL035', 'declared above'],
    ],
  );
  assert.equal(slice(text, ep.annotations[1].span), '# privatelink-lens-ignore PL035 declared above');
  assert.deepEqual(resource(r, 'Other').annotations, []);
  assert.deepEqual(
    r.comments.map((c) => c.text),
    ['# privatelink-lens: service = ../provider/template.yaml#EndpointService', '# privatelink-lens-ignore PL035 declared above', '# an ordinary comment'],
  );
});

// ------------------------------------------------------------------------------------------------
// Errors, encodings, robustness

test('YAML syntax errors come with spans and the rest is still read', () => {
  const dup = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n';
  const r = readCloudFormation(FILE, dup, false);
  assert.equal(r.isTemplate, true);
  assert.deepEqual(r.errors.map((e) => [e.message, slice(dup, e.span)]), [['duplicate key A', 'A']]);
  assert.equal(r.errors[0].span.start, dup.lastIndexOf('  A:') + 2);
  // As in JSON.parse, the last one wins.
  assert.equal(resource(r, 'A').type, 'AWS::SQS::Queue');

  const tagKey = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !Join [",", [!ImportValue Fn::Sub: "${N}-a"]]\n';
  const tk = readCloudFormation(FILE, tagKey, false);
  assert.deepEqual(tk.errors.map((e) => slice(tagKey, e.span)), ['!ImportValue Fn::Sub']);

  const flow = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: [a, b}\n';
  const f = readCloudFormation(FILE, flow, false);
  assert.ok(f.errors.length > 0);
  for (const e of f.errors) assert.ok(e.span.start >= flow.indexOf('{TopicName') && e.span.end <= flow.length, JSON.stringify(e));

  const indent = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::SNS::Topic\n   B: 1\n';
  const i = readCloudFormation(FILE, indent, false);
  assert.ok(i.errors.length > 0);
  assert.ok(i.errors[0].span.start >= indent.indexOf('   B'), JSON.stringify(i.errors));

  const multi = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n---\nfoo: 1\n';
  const m = readCloudFormation(FILE, multi, false);
  assert.equal(m.errors.length, 1);
  assert.match(m.errors[0].message, /single YAML document/);
  assert.equal(slice(multi, m.errors[0].span).startsWith('---'), true);
});

test('JSON syntax errors come with spans', () => {
  const missingColon = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources" {\n    "A": {"Type": "AWS::SNS::Topic"}\n  }\n}';
  const r = readCloudFormation(FILE, missingColon, true);
  assert.equal(r.isTemplate, true);
  assert.equal(r.errors[0].message, "':' expected");
  assert.equal(slice(missingColon, r.errors[0].span), '{');

  const trailing = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": {"Type": "AWS::SNS::Topic",}}}';
  const t = readCloudFormation(FILE, trailing, true);
  assert.deepEqual(t.errors.map((e) => [e.message, slice(trailing, e.span)]), [['property name expected', '}']]);
  assert.equal(resource(t, 'A').type, 'AWS::SNS::Topic');

  const dup = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": {"Type": "AWS::SNS::Topic"}, "A": {"Type": "AWS::SQS::Queue"}}}';
  const d = readCloudFormation(FILE, dup, true);
  assert.deepEqual(d.errors.map((e) => [e.message, slice(dup, e.span)]), [['duplicate key A', '"A"']]);
  assert.equal(d.errors[0].span.start, dup.lastIndexOf('"A"'));

  const comment = '{"AWSTemplateFormatVersion": "2010-09-09", // note\n "Resources": {}}';
  const c = readCloudFormation(FILE, comment, true);
  assert.deepEqual(c.errors.map((e) => [e.message, slice(comment, e.span)]), [['comments are not allowed in a JSON template', '// note']]);

  const truncated = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": {"Type": "AWS::SNS::Top';
  const tr = readCloudFormation(FILE, truncated, true);
  assert.equal(tr.isTemplate, true);
  assert.ok(tr.errors.length > 0);
});

test('BOM and CRLF keep offsets right', () => {
  const yaml = '\uFEFFAWSTemplateFormatVersion: "2010-09-09"\r\nResources:\r\n  # privatelink-lens: cidr 10.0.0.0/8\r\n  Sg:\r\n    Type: AWS::EC2::SecurityGroup\r\n    Properties:\r\n      GroupDescription: |\r\n        two\r\n        lines\r\n      VpcId: !Ref Vpc\r\n  Vpc:\r\n    Type: AWS::EC2::VPC\r\n';
  const r = readCloudFormation(FILE, yaml, false);
  assert.deepEqual(r.errors, []);
  const sg = resource(r, 'Sg');
  assert.equal(slice(yaml, sg.nameSpan), 'Sg');
  assert.equal(slice(yaml, sg.attrSpans.VpcId), 'VpcId: !Ref Vpc');
  assert.equal(toJson(sg.attrs.GroupDescription), 'two\nlines\n');
  assert.ok(!slice(yaml, sg.span).endsWith('\r'));
  assert.deepEqual(sg.annotations.map((a) => [a.kind, a.value]), [['cidr', '10.0.0.0/8']]);

  const json = '\uFEFF{\r\n  "AWSTemplateFormatVersion": "2010-09-09",\r\n  "Resources": {\r\n    "Sg": {"Type": "AWS::EC2::SecurityGroup"}\r\n  }\r\n}\r\n';
  const j = readCloudFormation(FILE, json, true);
  assert.deepEqual(j.errors, []);
  assert.equal(slice(json, resource(j, 'Sg').nameSpan), '"Sg"');
});

test('never throws on any prefix of a template, YAML or JSON', () => {
  const yaml = shortYaml('!Sub\n  - "${Name}-${Env}"\n  - Name: !Join ["", [a, !GetAtt [Sg, GroupId]]]');
  const json = JSON.stringify(withProbe({ 'Fn::If': ['IsProd', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, { Ref: 'AWS::NoValue' }] }));
  for (const [text, isJson] of [
    [yaml, false],
    [json, true],
  ] as [string, boolean][]) {
    for (let n = 0; n <= text.length; n += 7) {
      const prefix = text.slice(0, n);
      const r = readCloudFormation(FILE, prefix, isJson);
      for (const e of r.errors) assert.ok(e.span.start >= 0 && e.span.end <= prefix.length && e.span.start <= e.span.end);
    }
  }
  // Odd but valid shapes where a mapping or a string is expected.
  for (const text of [
    'AWSTemplateFormatVersion: x\nResources: [1, 2]\n',
    'AWSTemplateFormatVersion: x\nResources:\n  A: 1\n  B: {Type: [AWS::X]}\n  C: {Type: AWS::SNS::Topic, Properties: [1]}\n',
    'AWSTemplateFormatVersion: x\nParameters: 3\nConditions: [a]\nMappings: x\nOutputs: 4\nResources: {}\n',
    'AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      P: !Ref [1]\n      Q: !GetAtt\n      R: !Sub [1, 2, 3]\n      S: !If [1]\n      T: !Select [x, y]\n      U: !Cidr [1]\n      V: !FindInMap [a]\n      W: !Join [1]\n      X: {Fn::Sub: {a: b}}\n',
  ]) {
    const r = readCloudFormation(FILE, text, false);
    assert.equal(r.isTemplate, true);
  }
});

test('Fn::Cidr arithmetic, IPv4 and IPv6', () => {
  assert.deepEqual(cidrSubnets('10.0.5.7/16', 2, 12), ['10.0.0.0/20', '10.0.16.0/20']);
  assert.deepEqual(cidrSubnets('192.168.0.0/24', 4, 6), ['192.168.0.0/26', '192.168.0.64/26', '192.168.0.128/26', '192.168.0.192/26']);
  assert.deepEqual(cidrSubnets('10.0.0.0/8', 1, 0), ['10.0.0.0/32']);
  assert.deepEqual(cidrSubnets('2001:db8::/56', 3, 64), ['2001:db8::/64', '2001:db8:0:1::/64', '2001:db8:0:2::/64']);
  assert.deepEqual(cidrSubnets('2001:0DB8:0:0:0:0:0:0/48', 2, 72), ['2001:db8::/56', '2001:db8:0:100::/56']);
  assert.match(String(cidrSubnets('10.0.0.0/24', 1, 9)), /cannot make subnets with 9 host bits/);
  assert.match(String(cidrSubnets('10.0.0.0/24', 300, 1)), /between 1 and 256/);
  assert.match(String(cidrSubnets('10.0.0/24', 1, 1)), /not a CIDR block/);
  assert.match(String(cidrSubnets('10.0.0.0', 1, 1)), /not a CIDR block/);
});
