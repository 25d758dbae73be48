import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHcl } from '../../server/src/engine/parse/terraform';
import { resolveTerraform, type TfSourceFile } from '../../server/src/engine/resolve/terraform/module';
import { toJson, type Value } from '../../server/src/engine/model/value';
import type { Resource } from '../../server/src/engine/model/resource';

function resolve(files: Record<string, string>): Resource[] {
  const src: TfSourceFile[] = Object.entries(files).map(([file, text]) => ({ file, text, hcl: parseHcl(text), role: file.endsWith('.tfvars') ? 'vars' : 'config' }));
  return resolveTerraform(src).resources;
}

function byAddress(rs: Resource[], address: string): Resource {
  const r = rs.find((x) => x.address === address);
  assert.ok(r, `${address} in ${rs.map((x) => x.address).join(', ')}`);
  return r;
}

const j = (v: Value | undefined) => (v ? toJson(v) : undefined);

test('variables: defaults, terraform.tfvars, *.auto.tfvars, and an unknown with its reason', () => {
  const rs = resolve({
    '/m/main.tf': `
variable "a" { default = "from-default" }
variable "b" { default = "from-default" }
variable "c" {}
variable "d" {}
resource "x_thing" "t" {
  a = var.a
  b = var.b
  c = var.c
  d = var.d
}`,
    '/m/terraform.tfvars': 'b = "from-tfvars"\n',
    '/m/extra.auto.tfvars': 'c = 3\n',
    '/m/dev.tfvars': 'd = "not auto-loaded"\n',
  });
  const t = byAddress(rs, 'x_thing.t');
  assert.equal(j(t.attrs.a), 'from-default');
  assert.equal(j(t.attrs.b), 'from-tfvars');
  assert.equal(j(t.attrs.c), 3);
  assert.deepEqual(j(t.attrs.d), { $unknown: 'variable "d" has no default and no value in terraform.tfvars' });
});

test('locals, templates, conditionals, for expressions, splats and the legacy "${...}" form', () => {
  const rs = resolve({
    '/m/main.tf': `
locals {
  env   = "prod"
  ports = [443, 8443]
  name  = "\${local.env}-api"
  rules = { for p in local.ports : "p\${p}" => p if p > 500 }
}
resource "x_thing" "t" {
  name   = local.name
  legacy = "\${local.env}"
  pick   = local.env == "prod" ? "big" : "small"
  rules  = local.rules
  upper  = [for p in local.ports : p + 1]
}
resource "aws_instance" "i" {
  count = 2
  ami   = "ami-\${count.index}"
}
resource "x_thing" "s" {
  ids = aws_instance.i[*].id
  amis = aws_instance.i.*.ami
}`,
  });
  const t = byAddress(rs, 'x_thing.t');
  assert.equal(j(t.attrs.name), 'prod-api');
  assert.equal(j(t.attrs.legacy), 'prod');
  assert.equal(j(t.attrs.pick), 'big');
  assert.deepEqual(j(t.attrs.rules), { p8443: 8443 });
  assert.deepEqual(j(t.attrs.upper), [444, 8444]);
  const s = byAddress(rs, 'x_thing.s');
  assert.deepEqual(j(s.attrs.ids), [
    { $ref: 'tf:/m:aws_instance.i[0]', attr: ['id'] },
    { $ref: 'tf:/m:aws_instance.i[1]', attr: ['id'] },
  ]);
  assert.deepEqual(j(s.attrs.amis), ['ami-0', 'ami-1']);
  assert.equal(j(byAddress(rs, 'aws_instance.i[1]').attrs.ami), 'ami-1');
});

test('for_each instances, each.key/each.value, and dynamic blocks', () => {
  const rs = resolve({
    '/m/main.tf': `
locals {
  groups = { web = [80, 443], db = [5432] }
}
resource "aws_security_group" "g" {
  for_each = local.groups
  name     = each.key
  dynamic "ingress" {
    for_each = each.value
    content {
      from_port = ingress.value
      to_port   = ingress.value
      protocol  = "tcp"
    }
  }
  egress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
  }
}`,
  });
  const web = byAddress(rs, 'aws_security_group.g["web"]');
  assert.equal(j(web.attrs.name), 'web');
  assert.deepEqual(
    (j(web.attrs.ingress) as { from_port: number }[]).map((x) => x.from_port),
    [80, 443],
  );
  assert.equal((j(web.attrs.egress) as unknown[]).length, 1);
  assert.equal((j(byAddress(rs, 'aws_security_group.g["db"]').attrs.ingress) as unknown[]).length, 1);
  assert.equal(web.key, 'tf:/m:aws_security_group.g["web"]');
});

test('local modules are instantiated with their inputs and give back outputs; providers follow the call', () => {
  const rs = resolve({
    '/root/main.tf': `
provider "aws" {
  alias = "b"
}
module "net" {
  source = "./modules/net"
  cidr   = "10.5.0.0/16"
  providers = {
    aws = aws.b
  }
}
resource "x_thing" "uses" {
  vpc = module.net.vpc_id
  cidr = module.net.cidr
}`,
    '/root/modules/net/main.tf': `
variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
output "vpc_id" { value = aws_vpc.this.id }
output "cidr" { value = aws_vpc.this.cidr_block }
`,
  });
  const vpc = byAddress(rs, 'module.net.aws_vpc.this');
  assert.equal(j(vpc.attrs.cidr_block), '10.5.0.0/16');
  assert.equal(vpc.provider, 'aws.b');
  assert.equal(vpc.key, 'tf:/root:module.net.aws_vpc.this');
  const uses = byAddress(rs, 'x_thing.uses');
  assert.deepEqual(j(uses.attrs.vpc), { $ref: 'tf:/root:module.net.aws_vpc.this', attr: ['id'] });
  assert.equal(j(uses.attrs.cidr), '10.5.0.0/16');
  // The module directory is not a root of its own.
  assert.ok(!rs.some((r) => r.root === '/root/modules/net'));
});

test('a module from the registry that is not modelled gives unknown outputs with the reason', () => {
  const rs = resolve({
    '/m/main.tf': `
module "x" {
  source = "acme/thing/aws"
}
resource "x_thing" "t" {
  id = module.x.id
}`,
  });
  assert.deepEqual(j(byAddress(rs, 'x_thing.t').attrs.id), { $unknown: 'module "x" comes from "acme/thing/aws", which is not in the workspace' });
});

test('the vpc-endpoints and security-group registry modules are modelled from their inputs', () => {
  const rs = resolve({
    '/m/main.tf': `
module "sg" {
  source = "terraform-aws-modules/security-group/aws"
  vpc_id = "vpc-1"
  ingress_with_cidr_blocks = [
    { from_port = 443, to_port = 443, protocol = "tcp", cidr_blocks = "10.0.0.0/16,10.1.0.0/16" },
  ]
  egress_rules = ["all-all"]
}
module "endpoints" {
  source             = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  vpc_id             = "vpc-1"
  security_group_ids = [module.sg.security_group_id]
  endpoints = {
    api = {
      service_endpoint = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
      subnet_ids       = ["subnet-1"]
    }
  }
}`,
  });
  const sg = byAddress(rs, 'module.sg.aws_security_group.this_name_prefix[0]');
  const rules = rs.filter((r) => r.type === 'aws_security_group_rule');
  assert.equal(rules.length, 2);
  const ingress = rules.find((r) => j(r.attrs.type) === 'ingress')!;
  assert.deepEqual(j(ingress.attrs.cidr_blocks), ['10.0.0.0/16', '10.1.0.0/16']);
  assert.deepEqual(j(ingress.attrs.security_group_id), { $ref: sg.key, attr: ['id'] });
  const ep = byAddress(rs, 'module.endpoints.aws_vpc_endpoint.this["api"]');
  assert.equal(j(ep.attrs.vpc_endpoint_type), 'Interface');
  assert.deepEqual(j(ep.attrs.security_group_ids), [{ $ref: sg.key, attr: ['id'] }]);
});

test('provider aliases: traversal and the legacy quoted form', () => {
  const rs = resolve({
    '/m/main.tf': `
resource "aws_vpc" "a" {
  provider = aws.account1
}
resource "aws_vpc" "b" {
  provider = "aws.account2"
}
resource "aws_vpc" "c" {}`,
  });
  assert.equal(byAddress(rs, 'aws_vpc.a').provider, 'aws.account1');
  assert.equal(byAddress(rs, 'aws_vpc.b').provider, 'aws.account2');
  assert.equal(byAddress(rs, 'aws_vpc.c').provider, 'aws');
});

test('a reference cycle and a missing resource become unknowns, never a crash', () => {
  const rs = resolve({
    '/m/main.tf': `
locals {
  a = local.b
  b = local.a
}
resource "x_thing" "t" {
  a = local.a
  m = aws_vpc.missing.id
}`,
  });
  const t = byAddress(rs, 'x_thing.t');
  assert.match(JSON.stringify(j(t.attrs.a)), /cycle/);
  assert.match(JSON.stringify(j(t.attrs.m)), /no resource aws_vpc\.missing/);
});

test('try() falls through on a missing attribute but does not replace an unknown variable with a guess', () => {
  const rs = resolve({
    '/m/main.tf': `
variable "nodefault" {}
locals {
  cfg = { a = 1 }
}
resource "x_thing" "t" {
  missing = try(local.cfg.b, "fallback")
  present = try(local.cfg.a, "fallback")
  unknown = try(var.nodefault, "fallback")
}`,
  });
  const t = byAddress(rs, 'x_thing.t');
  assert.equal(j(t.attrs.missing), 'fallback');
  assert.equal(j(t.attrs.present), 1);
  assert.deepEqual(j(t.attrs.unknown), { $unknown: 'variable "nodefault" has no default and no value in terraform.tfvars' });
});
