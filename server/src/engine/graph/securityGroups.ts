import type { Resource } from '../model/resource';
import type { Location } from '../model/span';
import { type Value, asBool, asList, asNumber, asString } from '../model/value';
import { cidrContains } from '../resolve/terraform/cidr';
import { ResourceIndex, targetId, type Target } from './refs';

/** One effective rule of a security group, whatever syntax declared it. */
export interface SgRule {
  direction: 'ingress' | 'egress';
  /** Lower-case: `-1` (all), `tcp`, `udp`, `icmp`, or a protocol number; undefined when not known. */
  protocol: string | undefined;
  fromPort: number | undefined;
  toPort: number | undefined;
  peer: Peer;
  description?: string;
  /** Where the rule is written (the inline block, the rule resource). */
  origin: Location;
  /** The resource that declares the rule: the SG itself for inline rules, or the rule resource. */
  declaredBy: Resource;
  /** The rule is written inline in the SG (TF `ingress {}` / CFN `SecurityGroupIngress`). */
  inline: boolean;
}

export type Peer =
  | { kind: 'cidr'; cidr: string }
  /** An address only known after apply, named by what it is: `<resource key>.private_ip`, `<vpc key>.cidr_block`. */
  | { kind: 'symbol'; id: string }
  | { kind: 'sg'; target: Target }
  | { kind: 'self' }
  | { kind: 'prefixList'; id: string }
  | { kind: 'unknown'; reason: string };

export interface SecurityGroup {
  key: string;
  /** The SG resource, or undefined for a VPC's implicit default SG. */
  resource?: Resource;
  /** The VPC the SG belongs to. */
  vpc: Target;
  ingress: SgRule[];
  egress: SgRule[];
  /** A VPC default SG (implicit, or adopted by `aws_default_security_group`). */
  isDefault: boolean;
  /** Reasons the rule set may be incomplete (rules attached through values that are not known). */
  incomplete: string[];
  lang: 'terraform' | 'cloudformation';
}

const TF_SG = ['aws_security_group', 'aws_default_security_group'];
const CFN_SG = 'AWS::EC2::SecurityGroup';

function loc(r: Resource, v?: Value): Location {
  return v?.origin ?? { file: r.file, span: r.span };
}

function normProto(v: Value | undefined): string | undefined {
  const s = asString(v);
  if (s === undefined) return undefined;
  const l = s.toLowerCase();
  if (l === 'all' || l === '-1') return '-1';
  if (l === '6') return 'tcp';
  if (l === '17') return 'udp';
  if (l === '1') return 'icmp';
  return l;
}

function port(v: Value | undefined): number | undefined {
  return asNumber(v);
}

/** Expands one Terraform rule object (inline block or rule resource attributes) into rules, one per peer. */
function tfRules(
  direction: 'ingress' | 'egress',
  o: Record<string, Value>,
  idx: ResourceIndex,
  declaredBy: Resource,
  origin: Location,
  inline: boolean,
  style: 'classic' | 'vpc',
): SgRule[] {
  const base = {
    direction,
    description: asString(o.description),
    origin,
    declaredBy,
    inline,
  };
  const out: SgRule[] = [];
  if (style === 'vpc') {
    const proto = normProto(o.ip_protocol);
    const common = { ...base, protocol: proto, fromPort: proto === '-1' ? undefined : port(o.from_port), toPort: proto === '-1' ? undefined : port(o.to_port) };
    const peers: Peer[] = [];
    for (const k of ['cidr_ipv4', 'cidr_ipv6']) {
      const v = o[k];
      if (v && v.kind !== 'null') peers.push(cidrPeer(v));
    }
    if (o.referenced_security_group_id && o.referenced_security_group_id.kind !== 'null') peers.push({ kind: 'sg', target: idx.target(o.referenced_security_group_id) });
    if (o.prefix_list_id && o.prefix_list_id.kind !== 'null') peers.push({ kind: 'prefixList', id: asString(o.prefix_list_id) ?? '?' });
    for (const p of peers) out.push({ ...common, peer: p });
    return out;
  }
  const proto = normProto(o.protocol);
  const common = { ...base, protocol: proto, fromPort: port(o.from_port), toPort: port(o.to_port) };
  const addList = (v: Value | undefined, mk: (x: Value) => Peer) => {
    if (!v || v.kind === 'null') return;
    if (v.kind === 'unknown') {
      out.push({ ...common, peer: { kind: 'unknown', reason: v.reason } });
      return;
    }
    for (const x of asList(v)) out.push({ ...common, peer: mk(x) });
  };
  addList(o.cidr_blocks, cidrPeer);
  addList(o.ipv6_cidr_blocks, cidrPeer);
  addList(o.prefix_list_ids, (x) => ({ kind: 'prefixList', id: asString(x) ?? '?' }));
  addList(o.security_groups, (x) => ({ kind: 'sg', target: idx.target(x) }));
  if (o.source_security_group_id && o.source_security_group_id.kind !== 'null') out.push({ ...common, peer: { kind: 'sg', target: idx.target(o.source_security_group_id) } });
  const self = o.self;
  if (self && self.kind !== 'null') {
    const b = asBool(self);
    if (b === true) out.push({ ...common, peer: { kind: 'self' } });
    else if (b === undefined) out.push({ ...common, peer: { kind: 'unknown', reason: 'self is not known statically' } });
  }
  return out;
}

function cidrPeer(v: Value): Peer {
  const s = asString(v);
  if (s !== undefined) return { kind: 'cidr', cidr: s };
  const sym = symbolOf(v);
  if (sym) return { kind: 'symbol', id: sym };
  return { kind: 'unknown', reason: v.kind === 'unknown' ? v.reason : 'CIDR not known statically' };
}

/** `aws_vpc.x.cidr_block`, `"${aws_instance.c.private_ip}/32"`: the attribute an address is read from. */
export function symbolOf(v: Value): string | undefined {
  if (v.kind === 'ref') return `${v.target}.${v.attr.join('.')}`;
  if (v.kind === 'concat' && v.parts.length === 2 && v.parts[0].kind === 'ref' && asString(v.parts[1]) === '/32') return `${v.parts[0].target}.${v.parts[0].attr.join('.')}`;
  return undefined;
}

function cfnRule(direction: 'ingress' | 'egress', o: Record<string, Value>, idx: ResourceIndex, declaredBy: Resource, origin: Location, inline: boolean): SgRule[] {
  const proto = normProto(o.IpProtocol);
  const common = {
    direction,
    protocol: proto,
    fromPort: proto === '-1' ? undefined : port(o.FromPort),
    toPort: proto === '-1' ? undefined : port(o.ToPort),
    description: asString(o.Description),
    origin,
    declaredBy,
    inline,
  };
  const out: SgRule[] = [];
  const peerKeys = direction === 'ingress' ? ['SourceSecurityGroupId', 'SourcePrefixListId'] : ['DestinationSecurityGroupId', 'DestinationPrefixListId'];
  for (const k of ['CidrIp', 'CidrIpv6']) if (o[k] && o[k].kind !== 'null') out.push({ ...common, peer: cidrPeer(o[k]) });
  if (o[peerKeys[0]] && o[peerKeys[0]].kind !== 'null') out.push({ ...common, peer: { kind: 'sg', target: idx.target(o[peerKeys[0]]) } });
  if (o[peerKeys[1]] && o[peerKeys[1]].kind !== 'null') out.push({ ...common, peer: { kind: 'prefixList', id: asString(o[peerKeys[1]]) ?? '?' } });
  if (direction === 'ingress' && o.SourceSecurityGroupName && o.SourceSecurityGroupName.kind !== 'null') {
    out.push({ ...common, peer: { kind: 'unknown', reason: 'a security group named by SourceSecurityGroupName (default VPC only)' } });
  }
  if (out.length === 0) out.push({ ...common, peer: { kind: 'unknown', reason: 'the rule names no peer that can be read' } });
  return out;
}

function objects(v: Value | undefined): { o: Record<string, Value>; origin?: Location; unknownReason?: string }[] {
  if (!v || v.kind === 'null') return [];
  if (v.kind === 'unknown') return [{ o: {}, unknownReason: v.reason, origin: v.origin }];
  return asList(v).map((x) => (x.kind === 'object' ? { o: x.entries, origin: x.origin } : { o: {}, unknownReason: x.kind === 'unknown' ? x.reason : 'rule is not an object', origin: x.origin }));
}

/**
 * Builds every security group of the workspace with its effective rules (privatelink.md E0): inline rules,
 * every standalone rule form, module-generated rules, and the implicit default SG of each VPC.
 */
export function buildSecurityGroups(idx: ResourceIndex): Map<string, SecurityGroup> {
  const sgs = new Map<string, SecurityGroup>();
  for (const r of idx.ofType(...TF_SG, CFN_SG)) {
    const isCfn = r.lang === 'cloudformation';
    const vpc = idx.target(isCfn ? r.attrs.VpcId : r.attrs.vpc_id);
    const sg: SecurityGroup = { key: r.key, resource: r, vpc, ingress: [], egress: [], isDefault: r.type === 'aws_default_security_group', incomplete: [], lang: r.lang };
    sgs.set(r.key, sg);
    for (const dir of ['ingress', 'egress'] as const) {
      const v = isCfn ? r.attrs[dir === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress'] : r.attrs[dir];
      for (const { o, origin, unknownReason } of objects(v)) {
        const at = origin ?? loc(r);
        if (unknownReason) {
          sg[dir].push({ direction: dir, protocol: undefined, fromPort: undefined, toPort: undefined, peer: { kind: 'unknown', reason: unknownReason }, origin: at, declaredBy: r, inline: true });
          continue;
        }
        sg[dir].push(...(isCfn ? cfnRule(dir, o, idx, r, at, true) : tfRules(dir, o, idx, r, at, true, 'classic')));
      }
    }
    if (isCfn && (!r.attrs.SecurityGroupEgress || r.attrs.SecurityGroupEgress.kind === 'null')) {
      // CloudFormation keeps AWS's default allow-all egress unless egress rules are given inline (A1.3).
      sg.egress.push({ direction: 'egress', protocol: '-1', fromPort: undefined, toPort: undefined, peer: { kind: 'cidr', cidr: '0.0.0.0/0' }, origin: loc(r), declaredBy: r, inline: false, description: 'default allow-all egress' });
    }
  }
  const floating: { rule: Resource; reason: string }[] = [];
  const attach = (r: Resource, groupValue: Value | undefined, make: (sg: SecurityGroup) => SgRule[]) => {
    const t = idx.target(groupValue);
    if (t.kind === 'resource' && t.resource.type === 'aws_vpc' && t.attr[0] === 'default_security_group_id') {
      const d = defaultSg(sgs, idx, t.resource);
      for (const rule of make(d)) d[rule.direction].push(rule);
      return;
    }
    const sg = t.kind === 'resource' ? sgs.get(t.resource.key) : undefined;
    if (!sg) {
      // The rule belongs to a group the analysis cannot see; remember it so no group is judged "blocked"
      // for lack of a rule that may be this one.
      floating.push({ rule: r, reason: t.kind === 'unknown' ? t.reason : `attaches to ${t.kind === 'literal' ? t.id : 'a group'} outside the workspace` });
      return;
    }
    for (const rule of make(sg)) sg[rule.direction].push(rule);
  };
  for (const r of idx.ofType('aws_security_group_rule')) {
    const dir = asString(r.attrs.type) === 'egress' ? 'egress' : 'ingress';
    attach(r, r.attrs.security_group_id, () => tfRules(dir, r.attrs, idx, r, { file: r.file, span: r.nameSpan }, false, 'classic'));
  }
  for (const [type, dir] of [
    ['aws_vpc_security_group_ingress_rule', 'ingress'],
    ['aws_vpc_security_group_egress_rule', 'egress'],
  ] as const) {
    for (const r of idx.ofType(type)) attach(r, r.attrs.security_group_id, () => tfRules(dir, r.attrs, idx, r, { file: r.file, span: r.nameSpan }, false, 'vpc'));
  }
  for (const [type, dir] of [
    ['AWS::EC2::SecurityGroupIngress', 'ingress'],
    ['AWS::EC2::SecurityGroupEgress', 'egress'],
  ] as const) {
    for (const r of idx.ofType(type)) attach(r, r.attrs.GroupId, () => cfnRule(dir, r.attrs, idx, r, { file: r.file, span: r.nameSpan }, false));
  }
  // Rules attached to unknown groups make every group of the same root possibly incomplete.
  for (const f of floating) {
    for (const sg of sgs.values()) {
      if (sg.resource && sg.resource.root === f.rule.root) sg.incomplete.push(`${f.rule.address} attaches to a group that is not known statically (${f.reason})`);
    }
  }
  return sgs;
}

/** The implicit default SG of a VPC: all traffic from its own members (A1.2), unless adopted in config. */
export function defaultSg(sgs: Map<string, SecurityGroup>, idx: ResourceIndex, vpc: Resource): SecurityGroup {
  const key = `default-sg:${vpc.key}`;
  let sg = sgs.get(key);
  if (sg) return sg;
  const adopted = idx.ofType('aws_default_security_group').find((d) => {
    const t = idx.target(d.attrs.vpc_id);
    return t.kind === 'resource' && t.resource.key === vpc.key;
  });
  if (adopted) {
    const a = sgs.get(adopted.key)!;
    sgs.set(key, a);
    return a;
  }
  const origin = { file: vpc.file, span: vpc.nameSpan };
  sg = {
    key,
    vpc: { kind: 'resource', resource: vpc, attr: [] },
    ingress: [{ direction: 'ingress', protocol: '-1', fromPort: undefined, toPort: undefined, peer: { kind: 'self' }, origin, declaredBy: vpc, inline: false, description: 'default SG: all traffic from its members' }],
    egress: [{ direction: 'egress', protocol: '-1', fromPort: undefined, toPort: undefined, peer: { kind: 'cidr', cidr: '0.0.0.0/0' }, origin, declaredBy: vpc, inline: false, description: 'default SG: all egress' }],
    isDefault: true,
    incomplete: [],
    lang: vpc.lang,
  };
  sgs.set(key, sg);
  return sg;
}

/** Who is on the other side of a rule check: the security groups it is a member of, and its addresses. */
export interface PeerSet {
  /** Identities (`targetId`) of its security groups; undefined when they cannot be known. */
  sgs: Set<string> | undefined;
  /** Its source/destination CIDRs; undefined when they cannot be known. */
  cidrs: string[] | undefined;
  /** Symbolic addresses (see `symbolOf`) that stand for the peer: its own IP, its subnets', its VPC's. */
  symbols?: Set<string>;
  /** Why the CIDRs or SGs are not known. */
  why?: string;
  /** SG references cannot match this peer (PrivateLink traffic at the NLB carries the client's IP, A4.4). */
  ignoreSgRefs?: boolean;
}

export type Allowance = { verdict: 'open'; by: SgRule[] } | { verdict: 'blocked'; near: SgRule[] } | { verdict: 'unknown'; reason: string; near: SgRule[] };

function protoMatches(rule: string | undefined, proto: string): boolean | undefined {
  if (rule === undefined) return undefined;
  return rule === '-1' || rule === proto;
}

function portMatches(r: SgRule, p: number): boolean | undefined {
  if (r.protocol === '-1') return true;
  if (r.fromPort === undefined || r.toPort === undefined) return undefined;
  if (r.fromPort === -1 && r.toPort === -1) return true;
  return r.fromPort <= p && p <= r.toPort;
}

/**
 * `allows(rules, peer, proto, port)` of privatelink.md E0: open when some rule admits the peer on that
 * protocol and port, blocked when no rule can, unknown when a rule might but depends on a value that is
 * not known (or the group's rule set may be incomplete).
 */
export function allows(sg: SecurityGroup, direction: 'ingress' | 'egress', peer: PeerSet, proto: string, p: number): Allowance {
  return allowsAll([sg], direction, peer, proto, p);
}

/**
 * The same over every group attached to one network interface, whose rules are unioned. A peer with several
 * address ranges (a client in two subnets) is admitted when each range is covered by some rule; rules are
 * per address, so two rules may cover it together.
 */
export function allowsAll(groups: SecurityGroup[], direction: 'ingress' | 'egress', peer: PeerSet, proto: string, p: number): Allowance {
  const unknowns: string[] = [];
  const near: SgRule[] = [];
  const covered = new Map<number, SgRule>();
  for (const sg of groups) {
    for (const r of sg[direction]) {
      const pm = protoMatches(r.protocol, proto);
      const portm = portMatches(r, p);
      if (pm === false || portm === false) continue;
      near.push(r);
      const sure = pm === true && portm === true;
      if (r.peer.kind === 'cidr' && r.peer.cidr !== '0.0.0.0/0' && peer.cidrs && peer.cidrs.length > 0) {
        peer.cidrs.forEach((c, i) => {
          const inside = cidrContains((r.peer as { cidr: string }).cidr, c);
          if (inside === undefined) unknowns.push(`CIDR "${(r.peer as { cidr: string }).cidr}" or "${c}" cannot be read`);
          else if (inside && sure) covered.set(i, r);
          else if (inside) unknowns.push(pm === undefined ? 'the protocol of a rule is not known' : 'the ports of a rule are not known');
        });
        continue;
      }
      const peerm = peerMatches(r.peer, sg, peer);
      if (sure && peerm.match === true) return { verdict: 'open', by: [r] };
      if (peerm.match !== false) {
        unknowns.push(pm === undefined ? 'the protocol of a rule is not known' : portm === undefined ? 'the ports of a rule are not known' : (peerm.reason ?? 'a rule peer is not known'));
      }
    }
  }
  if (peer.cidrs && peer.cidrs.length > 0 && covered.size === peer.cidrs.length) return { verdict: 'open', by: [...new Set(covered.values())] };
  if (unknowns.length > 0) return { verdict: 'unknown', reason: unknowns[0], near };
  const incomplete = groups.find((g) => g.incomplete.length > 0);
  if (incomplete) return { verdict: 'unknown', reason: incomplete.incomplete[0], near };
  return { verdict: 'blocked', near };
}

function peerMatches(p: Peer, sg: SecurityGroup, peer: PeerSet): { match: boolean | undefined; reason?: string } {
  switch (p.kind) {
    case 'cidr': {
      if (p.cidr === '0.0.0.0/0') return { match: true };
      if (!peer.cidrs) return { match: undefined, reason: peer.why ?? 'the addresses of the peer are not known' };
      if (peer.cidrs.length === 0) return { match: false };
      let all = true;
      for (const c of peer.cidrs) {
        const inside = cidrContains(p.cidr, c);
        if (inside === undefined) return { match: undefined, reason: `CIDR "${p.cidr}" or "${c}" cannot be read` };
        if (!inside) all = false;
      }
      return { match: all };
    }
    case 'symbol': {
      if (peer.symbols?.has(p.id)) return { match: true };
      // The rule names another resource's address; when the peer's own are known, it is not this peer.
      if (peer.symbols) return { match: false };
      return { match: undefined, reason: `the rule's address (${p.id.split(':').pop()}) is known only after apply` };
    }
    case 'sg': {
      if (peer.ignoreSgRefs) return { match: false };
      const id = targetId(p.target);
      if (!id) return { match: undefined, reason: p.target.kind === 'unknown' ? `the referenced security group is not known (${p.target.reason})` : 'the referenced security group is not known' };
      if (!peer.sgs) return { match: undefined, reason: peer.why ?? 'the security groups of the peer are not known' };
      return { match: peer.sgs.has(id) };
    }
    case 'self': {
      if (peer.ignoreSgRefs) return { match: false };
      if (!peer.sgs) return { match: undefined, reason: peer.why ?? 'the security groups of the peer are not known' };
      return { match: peer.sgs.has(sg.key) || (sg.resource !== undefined && peer.sgs.has(sg.resource.key)) };
    }
    case 'prefixList':
      return { match: undefined, reason: `prefix list ${p.id} cannot be expanded statically` };
    case 'unknown':
      return { match: undefined, reason: p.reason };
  }
}

export function describeRule(r: SgRule): string {
  const proto = r.protocol === '-1' ? 'all traffic' : `${(r.protocol ?? '?').toUpperCase()} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
  const peer =
    r.peer.kind === 'cidr'
      ? r.peer.cidr
      : r.peer.kind === 'symbol'
        ? r.peer.id.split(':').pop()
      : r.peer.kind === 'sg'
        ? r.peer.target.kind === 'resource'
          ? r.peer.target.resource.address
          : r.peer.target.kind === 'literal'
            ? r.peer.target.id
            : 'an unknown group'
        : r.peer.kind === 'self'
          ? 'itself'
          : r.peer.kind === 'prefixList'
            ? `prefix list ${r.peer.id}`
            : 'an unknown peer';
  return `${proto} ${r.direction === 'ingress' ? 'from' : 'to'} ${peer}`;
}

