import type { Annotation, Resource } from '../../model/resource';
import type { Span } from '../../model/span';
import { type Value, asBool, asList, asString, getAttr, list, num, obj, ref, str, unknown } from '../../model/value';
import { callFunction } from './functions';

/**
 * Registry modules that carry PrivateLink pieces, modelled from their inputs so that nothing has to be
 * downloaded (privatelink.md B6). Each model creates the resources the real module would create, with the
 * same addresses and the same defaults, as far as the analysis needs them.
 */
export type RegistryModuleKind = 'vpc-endpoints' | 'security-group' | 'alb';

export function registryModuleKind(source: string): RegistryModuleKind | undefined {
  const s = source.replace(/^registry\.terraform\.io\//, '').replace(/\?ref=.*$/, '');
  if (/^terraform-aws-modules\/vpc\/aws\/\/modules\/vpc-endpoints$/.test(s)) return 'vpc-endpoints';
  if (/^terraform-aws-modules\/security-group\/aws(\/\/modules\/[a-z0-9-]+)?$/.test(s)) return 'security-group';
  if (/^terraform-aws-modules\/alb\/aws$/.test(s)) return 'alb';
  return undefined;
}

export interface RegistryContext {
  inputs: Map<string, () => Value>;
  keyFor(address: string): string;
  addressFor(address: string): string;
  file: string;
  span: Span;
  nameSpan: Span;
  attrSpans: Record<string, Span>;
  provider: string;
  root: string;
  modulePath: string;
  annotations: Annotation[];
}

export function modelRegistryModule(kind: RegistryModuleKind, ctx: RegistryContext): Resource[] {
  switch (kind) {
    case 'vpc-endpoints':
      return vpcEndpoints(ctx);
    case 'security-group':
      return securityGroup(ctx);
    case 'alb':
      return alb(ctx);
  }
}

class Builder {
  readonly out: Resource[] = [];
  constructor(private readonly ctx: RegistryContext) {}

  input(name: string): Value | undefined {
    const t = this.ctx.inputs.get(name);
    return t ? t() : undefined;
  }

  add(type: string, address: string, attrs: Record<string, Value>): Resource {
    const full = `${type}.${address}`;
    const r: Resource = {
      key: this.ctx.keyFor(full),
      lang: 'terraform',
      type,
      mode: 'managed',
      address: this.ctx.addressFor(full),
      file: this.ctx.file,
      span: this.ctx.span,
      nameSpan: this.ctx.nameSpan,
      attrs,
      // Every attribute of a modelled resource was written as a module input: point at the module call.
      attrSpans: this.ctx.attrSpans,
      provider: this.ctx.provider,
      modulePath: this.ctx.modulePath,
      root: this.ctx.root,
      annotations: this.ctx.annotations,
    };
    this.out.push(r);
    return r;
  }
}

function isFalse(v: Value | undefined): boolean {
  return asBool(v) === false;
}

function entriesOf(v: Value | undefined): [string, Value][] {
  if (!v || v.kind !== 'object') return [];
  return Object.keys(v.entries)
    .sort()
    .map((k) => [k, v.entries[k]]);
}

function field(v: Value, name: string): Value | undefined {
  const f = getAttr(v, name);
  return f && f.kind !== 'null' ? f : undefined;
}

function distinctList(...parts: (Value | undefined)[]): Value {
  const items = parts.flatMap((p) => asList(p));
  return callFunction('distinct', [list(items)]);
}

/** terraform-aws-modules/vpc/aws//modules/vpc-endpoints */
function vpcEndpoints(ctx: RegistryContext): Resource[] {
  const b = new Builder(ctx);
  if (isFalse(b.input('create'))) return b.out;
  const vpcId = b.input('vpc_id') ?? unknown('vpc_id is not set on the vpc-endpoints module');
  let createdSg: Value | undefined;
  if (asBool(b.input('create_security_group')) === true) {
    const sg = b.add('aws_security_group', 'this[0]', {
      name: b.input('security_group_name') ?? unknown('name chosen by the module'),
      description: b.input('security_group_description') ?? str('VPC endpoint security group'),
      vpc_id: vpcId,
    });
    createdSg = ref(sg.key, ['id']);
    for (const [k, rule] of entriesOf(b.input('security_group_rules'))) {
      b.add('aws_security_group_rule', `this[${JSON.stringify(k)}]`, {
        type: field(rule, 'type') ?? str('ingress'),
        protocol: field(rule, 'protocol') ?? str('tcp'),
        from_port: field(rule, 'from_port') ?? num(443),
        to_port: field(rule, 'to_port') ?? num(443),
        cidr_blocks: field(rule, 'cidr_blocks') ?? list([]),
        ipv6_cidr_blocks: field(rule, 'ipv6_cidr_blocks') ?? list([]),
        prefix_list_ids: field(rule, 'prefix_list_ids') ?? list([]),
        self: field(rule, 'self') ?? { kind: 'null' },
        source_security_group_id: field(rule, 'source_security_group_id') ?? { kind: 'null' },
        description: field(rule, 'description') ?? { kind: 'null' },
        security_group_id: createdSg,
      });
    }
  }
  const moduleSgs = b.input('security_group_ids');
  const moduleSubnets = b.input('subnet_ids');
  const endpoints = b.input('endpoints');
  if (endpoints && endpoints.kind !== 'object') {
    b.add('aws_vpc_endpoint', 'this[*]', { vpc_id: vpcId, __instances: unknown(`endpoints of the vpc-endpoints module are not known statically`) });
    return b.out;
  }
  for (const [k, ep] of entriesOf(endpoints)) {
    if (isFalse(field(ep, 'create'))) continue;
    const type = field(ep, 'service_type') ?? str('Interface');
    const isInterface = asString(type) === 'Interface';
    const serviceName =
      field(ep, 'service_endpoint') ??
      unknown(`service name of endpoint "${k}" is looked up by the module with data.aws_vpc_endpoint_service (service "${asString(field(ep, 'service')) ?? '?'}")`);
    const sgs = isInterface ? distinctList(moduleSgs, createdSg, field(ep, 'security_group_ids')) : { kind: 'null' as const };
    const attrs: Record<string, Value> = {
      vpc_id: vpcId,
      service_name: serviceName,
      vpc_endpoint_type: type,
      auto_accept: field(ep, 'auto_accept') ?? { kind: 'null' },
      // The module passes null instead of an empty list, so the VPC default SG is attached (A2.2).
      security_group_ids: sgs.kind === 'list' && sgs.items.length === 0 ? { kind: 'null' } : sgs,
      subnet_ids: isInterface ? distinctList(moduleSubnets, field(ep, 'subnet_ids')) : { kind: 'null' },
      route_table_ids: field(ep, 'route_table_ids') ?? { kind: 'null' },
      policy: field(ep, 'policy') ?? { kind: 'null' },
      private_dns_enabled: field(ep, 'private_dns_enabled') ?? { kind: 'null' },
      ip_address_type: field(ep, 'ip_address_type') ?? { kind: 'null' },
      tags: field(ep, 'tags') ?? obj({}),
    };
    b.add('aws_vpc_endpoint', `this[${JSON.stringify(k)}]`, attrs);
  }
  return b.out;
}

/** The named rules of terraform-aws-modules/security-group (`var.rules`) that PrivateLink setups use. */
const NAMED_RULES: Record<string, [number, number, string]> = {
  'all-all': [-1, -1, '-1'],
  'all-tcp': [0, 65535, 'tcp'],
  'all-udp': [0, 65535, 'udp'],
  'all-icmp': [-1, -1, 'icmp'],
  'http-80-tcp': [80, 80, 'tcp'],
  'http-8080-tcp': [8080, 8080, 'tcp'],
  'https-443-tcp': [443, 443, 'tcp'],
  'https-8443-tcp': [8443, 8443, 'tcp'],
  'ssh-tcp': [22, 22, 'tcp'],
  'postgresql-tcp': [5432, 5432, 'tcp'],
  'mysql-tcp': [3306, 3306, 'tcp'],
  'mssql-tcp': [1433, 1433, 'tcp'],
  'oracle-db-tcp': [1521, 1521, 'tcp'],
  'redis-tcp': [6379, 6379, 'tcp'],
  'kafka-broker-tcp': [9092, 9092, 'tcp'],
  'kafka-broker-tls-tcp': [9094, 9094, 'tcp'],
  'elasticsearch-rest-tcp': [9200, 9200, 'tcp'],
  'mongodb-27017-tcp': [27017, 27017, 'tcp'],
  'nfs-tcp': [2049, 2049, 'tcp'],
  'dns-tcp': [53, 53, 'tcp'],
  'dns-udp': [53, 53, 'udp'],
};

/** terraform-aws-modules/security-group/aws (and its preset submodules, read by their inputs alike). */
function securityGroup(ctx: RegistryContext): Resource[] {
  const b = new Builder(ctx);
  if (isFalse(b.input('create')) || isFalse(b.input('create_sg'))) {
    if (!b.input('security_group_id')) return b.out;
  }
  let sgId: Value;
  const existing = b.input('security_group_id');
  if (existing && existing.kind !== 'null') sgId = existing;
  else {
    const usePrefix = asBool(b.input('use_name_prefix')) !== false;
    const sg = b.add('aws_security_group', usePrefix ? 'this_name_prefix[0]' : 'this[0]', {
      name: b.input('name') ?? unknown('name is not set'),
      description: b.input('description') ?? str('Security Group managed by Terraform'),
      vpc_id: b.input('vpc_id') ?? unknown('vpc_id is not set on the security-group module'),
    });
    sgId = ref(sg.key, ['id']);
  }
  for (const dir of ['ingress', 'egress'] as const) {
    let n = 0;
    const add = (suffix: string, rule: Record<string, Value>) => {
      b.add('aws_security_group_rule', `${dir}_${suffix}[${n++}]`, { type: str(dir), security_group_id: sgId, ...rule });
    };
    const named = (name: string | undefined): Record<string, Value> | undefined => {
      if (!name) return undefined;
      const r = NAMED_RULES[name];
      if (!r) return { from_port: unknown(`named rule "${name}" is not modelled`), to_port: unknown(`named rule "${name}" is not modelled`), protocol: unknown(`named rule "${name}" is not modelled`) };
      return { from_port: num(r[0]), to_port: num(r[1]), protocol: str(r[2]) };
    };
    const cidrDefault = dir === 'egress' ? list([str('0.0.0.0/0')]) : list([]);
    const cidrs = b.input(`${dir}_cidr_blocks`) ?? cidrDefault;
    for (const rn of asList(b.input(`${dir}_rules`))) {
      const r = named(asString(rn));
      if (r) add('rules', { ...r, cidr_blocks: cidrs });
    }
    const ports = (m: Value): Record<string, Value> =>
      named(asString(field(m, 'rule'))) ?? {
        from_port: field(m, 'from_port') ?? unknown('from_port not set'),
        to_port: field(m, 'to_port') ?? unknown('to_port not set'),
        protocol: field(m, 'protocol') ?? unknown('protocol not set'),
      };
    for (const m of asList(b.input(`${dir}_with_cidr_blocks`))) {
      const c = field(m, 'cidr_blocks');
      // The module takes CIDRs here as one comma-separated string.
      const list_ = c && c.kind === 'string' ? list(c.value.split(',').map((s) => str(s.trim()))) : (c ?? cidrs);
      add('with_cidr_blocks', { ...ports(m), cidr_blocks: list_, description: field(m, 'description') ?? { kind: 'null' } });
    }
    for (const m of asList(b.input(`${dir}_with_source_security_group_id`))) {
      add('with_source_security_group_id', { ...ports(m), source_security_group_id: field(m, 'source_security_group_id') ?? unknown('source_security_group_id not set') });
    }
    for (const m of asList(b.input(`${dir}_with_self`))) {
      add('with_self', { ...ports(m), self: { kind: 'bool', value: true } });
    }
    for (const m of asList(b.input(`${dir}_with_prefix_list_ids`))) {
      add('with_prefix_list_ids', { ...ports(m), prefix_list_ids: field(m, 'prefix_list_ids') ?? unknown('prefix_list_ids not set') });
    }
  }
  return b.out;
}

/** terraform-aws-modules/alb/aws (v9+: also NLBs, with `security_group_*_rules` maps). */
function alb(ctx: RegistryContext): Resource[] {
  const b = new Builder(ctx);
  if (isFalse(b.input('create'))) return b.out;
  const vpcId = b.input('vpc_id') ?? unknown('vpc_id is not set on the alb module');
  let sgRef: Value | undefined;
  if (asBool(b.input('create_security_group')) !== false) {
    const sg = b.add('aws_security_group', 'this[0]', { vpc_id: vpcId, description: b.input('security_group_description') ?? { kind: 'null' } });
    sgRef = ref(sg.key, ['id']);
    for (const dir of ['ingress', 'egress'] as const) {
      for (const [k, r] of entriesOf(b.input(`security_group_${dir}_rules`))) {
        const rule: Record<string, Value> = { security_group_id: sgRef };
        for (const f of ['ip_protocol', 'from_port', 'to_port', 'cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id', 'description']) {
          const v = field(r, f);
          if (v) rule[f] = v;
        }
        rule.ip_protocol ??= str('tcp');
        b.add(`aws_vpc_security_group_${dir}_rule`, `this[${JSON.stringify(k)}]`, rule);
      }
    }
  }
  const lbAttrs: Record<string, Value> = {
    load_balancer_type: b.input('load_balancer_type') ?? str('application'),
    internal: b.input('internal') ?? { kind: 'null' },
    security_groups: distinctList(b.input('security_groups'), sgRef),
    // The module turns cross-zone on by default, unlike the raw resource.
    enable_cross_zone_load_balancing: b.input('enable_cross_zone_load_balancing') ?? { kind: 'bool', value: true },
  };
  for (const f of ['subnets', 'subnet_mapping', 'enforce_security_group_inbound_rules_on_private_link_traffic', 'ip_address_type', 'name']) {
    const v = b.input(f);
    if (v) lbAttrs[f] = v;
  }
  const lb = b.add('aws_lb', 'this[0]', lbAttrs);
  const tgs = new Map<string, Resource>();
  for (const [k, tg] of entriesOf(b.input('target_groups'))) {
    const attrs: Record<string, Value> = { vpc_id: vpcId };
    for (const f of ['port', 'protocol', 'target_type', 'proxy_protocol_v2', 'preserve_client_ip', 'load_balancing_cross_zone_enabled', 'health_check', 'name']) {
      const v = field(tg, f);
      if (v) attrs[f] = f === 'health_check' ? list([v]) : v;
    }
    const r = b.add('aws_lb_target_group', `this[${JSON.stringify(k)}]`, attrs);
    tgs.set(k, r);
    const target = field(tg, 'target_id');
    if (target && asBool(field(tg, 'create_attachment')) !== false) {
      b.add('aws_lb_target_group_attachment', `this[${JSON.stringify(k)}]`, {
        target_group_arn: ref(r.key, ['arn']),
        target_id: target,
        port: field(tg, 'port') ?? { kind: 'null' },
      });
    }
  }
  for (const [k, l] of entriesOf(b.input('listeners'))) {
    const fwd = field(l, 'forward');
    const tgKey = fwd ? asString(field(fwd, 'target_group_key')) : undefined;
    const tg = tgKey ? tgs.get(tgKey) : undefined;
    b.add('aws_lb_listener', `this[${JSON.stringify(k)}]`, {
      load_balancer_arn: ref(lb.key, ['arn']),
      port: field(l, 'port') ?? { kind: 'null' },
      protocol: field(l, 'protocol') ?? { kind: 'null' },
      default_action: list([
        obj({
          type: str(fwd ? 'forward' : 'unknown'),
          target_group_arn: tg ? ref(tg.key, ['arn']) : unknown(fwd ? `target group "${tgKey}" is not among the module's target_groups` : 'the listener does not forward'),
        }),
      ]),
    });
  }
  return b.out;
}
