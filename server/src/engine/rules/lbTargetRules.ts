import type { Fix, RelatedInfo, TextEdit } from '../model/finding';
import type { Resource } from '../model/resource';
import type { Location, Span } from '../model/span';
import { type Value, asBool, asList, asNumber, asString, getAttr, firstUnknown } from '../model/value';
import { cidrOverlaps, ipInCidr } from '../resolve/terraform/cidr';
import { type Compute, type Graph, type LoadBalancer, type Listener, type Subnet, type TargetGroup, type TargetNode, sameTarget } from '../graph/build';
import { targetId, type Target } from '../graph/refs';
import { describeRule, type SecurityGroup, type SgRule } from '../graph/securityGroups';
import { isCustomEndpoint } from './endpointRules';
import { isDeclaredInFile, setAttributeFix, sgRuleFix, tfRef, type TextOf } from './fixes';
import { servicesByLb } from './serviceRules';
import { at, attrLoc, prop, type Rule } from './types';

/**
 * The load balancer, listener, target group and target rules of privatelink.md E (PL018, PL019, PL026–PL030,
 * PL032, PL034). They read the normalised graph; what the graph does not carry (whether a setting is absent or
 * only unknown, Availability Zones of targets, listener ports per protocol) is worked out here from the
 * resources' attributes. A value that cannot be known never produces an error: the rule stays silent and the
 * path (PL035) says what is unknown.
 */

// ---------------------------------------------------------------------------------------------------------
// Reading settings: absent (the default applies), a known value, or a value that is not known statically.

type Setting = { state: 'absent' } | { state: 'unknown' } | { state: 'known'; value: Value };

function setting(r: Resource, tfName: string, cfnName: string): Setting {
  const v = r.attrs[prop(r, tfName, cfnName)];
  if (!v || v.kind === 'null') return { state: 'absent' };
  if (asString(v) === undefined && (v.kind !== 'list' || firstUnknown(v))) return { state: 'unknown' };
  return { state: 'known', value: v };
}

/** A Key/Value entry of a CloudFormation attribute list (`LoadBalancerAttributes`, `TargetGroupAttributes`). */
function cfnKeyed(list: Value | undefined, key: string): { state: 'absent' } | { state: 'unknown' } | { state: 'known'; value: Value; item: Value } {
  if (!list || list.kind === 'null') return { state: 'absent' };
  if (list.kind !== 'list') return { state: 'unknown' };
  let unsure = false;
  for (const item of list.items) {
    const k = asString(getAttr(item, 'Key'));
    if (k === undefined) unsure = true;
    else if (k === key) {
      const v = getAttr(item, 'Value');
      return v && asString(v) !== undefined ? { state: 'known', value: v, item } : { state: 'unknown' };
    }
  }
  return unsure ? { state: 'unknown' } : { state: 'absent' };
}

/** A target-group attribute in either language: TF attribute `tfName`, CFN `TargetGroupAttributes` key. */
function tgSetting(tg: Resource, tfName: string, cfnKey: string): Setting {
  if (tg.lang === 'terraform') return setting(tg, tfName, '');
  const e = cfnKeyed(tg.attrs.TargetGroupAttributes, cfnKey);
  return e.state === 'known' ? { state: 'known', value: e.value } : e;
}

/** Created with `count`/`for_each` over something unknown: the model keeps one representative instance. */
function instancesUnknown(r: Resource): boolean {
  return r.attrs.__instances !== undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Graph helpers.

function lbsBehindServices(g: Graph): { lb: LoadBalancer; services: Resource[] }[] {
  const out: { lb: LoadBalancer; services: Resource[] }[] = [];
  for (const [key, services] of servicesByLb(g.services)) {
    const lb = g.lbs.get(key);
    if (lb) out.push({ lb, services });
  }
  return out;
}

function tgsOf(g: Graph, l: Listener): TargetGroup[] {
  const out: TargetGroup[] = [];
  for (const t of l.targetGroups) {
    const tg = t.kind === 'resource' ? g.targetGroups.get(t.resource.key) : undefined;
    if (tg && !out.includes(tg)) out.push(tg);
  }
  return out;
}

function subnetsOf(g: Graph, ts: Target[]): Subnet[] | undefined {
  const out: Subnet[] = [];
  for (const t of ts) {
    const s = t.kind === 'resource' ? g.subnets.get(t.resource.key) : undefined;
    if (!s) return undefined;
    out.push(s);
  }
  return out.length > 0 ? out : undefined;
}

/** The one VPC a set of subnets is in, or unknown (subnets not known, or in several VPCs). */
function vpcOfSubnets(g: Graph, ts: Target[]): Target {
  const subnets = subnetsOf(g, ts);
  if (!subnets) return { kind: 'unknown', reason: 'the subnets are not known' };
  const ids = new Set(subnets.map((s) => targetId(s.vpc)));
  if (ids.size !== 1 || ids.has(undefined)) return { kind: 'unknown', reason: 'the subnets are not in one known VPC' };
  return subnets[0].vpc;
}

/**
 * The NLB's VPC: its subnets', or else the one VPC of the target groups it forwards to (a target group must be
 * in the load balancer's VPC), for the rules that only need to name the VPC.
 */
function nlbVpc(g: Graph, lb: LoadBalancer): Target {
  const bySubnets = vpcOfSubnets(g, lb.subnets);
  if (bySubnets.kind !== 'unknown') return bySubnets;
  const vpcs = lb.listeners.flatMap((l) => tgsOf(g, l)).map((tg) => tg.vpc);
  const ids = new Set(vpcs.map(targetId));
  return vpcs.length > 0 && ids.size === 1 && !ids.has(undefined) ? vpcs[0] : bySubnets;
}

/** True only when both are known the same way (two resources, or two literal ids) and differ. */
function knownDifferent(a: Target, b: Target): boolean {
  if (a.kind !== b.kind || a.kind === 'unknown') return false;
  return sameTarget(a, b) === false;
}

function vpcName(t: Target): string {
  return t.kind === 'resource' ? t.resource.address : t.kind === 'literal' ? t.id : '(not known)';
}

/** Protocols a listener or target-group protocol carries. */
function families(protocol: string): ('tcp' | 'udp')[] {
  switch (protocol) {
    case 'UDP':
    case 'QUIC':
      return ['udp'];
    case 'TCP_UDP':
    case 'TCP_QUIC':
      return ['tcp', 'udp'];
    default:
      return ['tcp'];
  }
}

/** Listener port and protocol as written: undefined when not known (absent protocol reads as "(not set)"). */
function listenerKey(l: Listener): { port: number; protocol: string } | undefined {
  const r = l.resource;
  if (instancesUnknown(r)) return undefined;
  const port = setting(r, 'port', 'Port');
  const proto = setting(r, 'protocol', 'Protocol');
  if (port.state !== 'known' || proto.state === 'unknown') return undefined;
  const p = asNumber(port.value);
  if (p === undefined) return undefined;
  return { port: p, protocol: proto.state === 'known' ? (asString(proto.value) ?? '').toUpperCase() : '(not set)' };
}

// ---------------------------------------------------------------------------------------------------------
// Text edits (the small helpers fixes.ts keeps private).

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAt(text: string, offset: number): number {
  let i = text.indexOf('\n', offset);
  if (i < 0) i = text.length;
  if (i > 0 && text[i - 1] === '\r') i--;
  return i;
}

function lastContentEnd(text: string, s: Span): number {
  let e = s.end;
  while (e > s.start && /\s/.test(text[e - 1])) e--;
  return Math.max(s.start, e - 1);
}

function inside(o: Location | undefined, file: string, container: Span): o is Location {
  return !!o && o.file === file && o.span.start >= container.start && o.span.end <= container.end;
}

function isJson(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

// ---------------------------------------------------------------------------------------------------------
// PL018

/** How one target group is set up, for comparison; undefined when a compared value is not known. */
function tgSignature(tg: TargetGroup): string | undefined {
  const r = tg.resource;
  const port = setting(r, 'port', 'Port');
  const proto = setting(r, 'protocol', 'Protocol');
  const type = setting(r, 'target_type', 'TargetType');
  const ppv2 = tgSetting(r, 'proxy_protocol_v2', 'proxy_protocol_v2.enabled');
  if ([port, proto, type, ppv2].some((s) => s.state === 'unknown')) return undefined;
  const pp = ppv2.state === 'known' ? asBool(ppv2.value) : false;
  if (pp === undefined) return undefined;
  return `${tg.protocol ?? '(no protocol)'} ${tg.port ?? '(no port)'} (${tg.targetType} targets${pp ? ', proxy protocol v2' : ''})`;
}

/** Each listener "PROTO port" of an NLB with the set-ups of the target groups it forwards to. */
function nlbSignature(g: Graph, lb: LoadBalancer): Map<string, Set<string>> | undefined {
  const out = new Map<string, Set<string>>();
  for (const l of lb.listeners) {
    const k = listenerKey(l);
    if (!k) return undefined;
    // A forward target outside the workspace, or not known, leaves the set-up unknown.
    if (l.targetGroups.some((t) => t.kind !== 'resource' || !g.targetGroups.has(t.resource.key))) return undefined;
    const sigs = out.get(`${k.protocol} ${k.port}`) ?? new Set<string>();
    for (const tg of tgsOf(g, l)) {
      const s = tgSignature(tg);
      if (s === undefined) return undefined;
      sigs.add(s);
    }
    out.set(`${k.protocol} ${k.port}`, sigs);
  }
  return out;
}

/** PL018: every NLB of a service should be set up alike; an endpoint ENI is tied to one at random (A3.2). */
export const PL018: Rule = {
  id: 'PL018',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const s of g.services) {
      if (s.lbs.length < 2) continue;
      const lbs = s.lbs.map((t) => (t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined));
      if (lbs.some((lb) => !lb || lb.type !== 'network')) continue;
      const sigs = (lbs as LoadBalancer[]).map((lb) => ({ lb, sig: nlbSignature(g, lb) }));
      if (sigs.some((x) => !x.sig)) continue;
      const [first, ...rest] = sigs as { lb: LoadBalancer; sig: Map<string, Set<string>> }[];
      const diffs: string[] = [];
      const name = (lb: LoadBalancer) => lb.resource.address;
      for (const other of rest) {
        if (other.lb === first.lb) continue;
        const onlyFirst = [...first.sig.keys()].filter((k) => !other.sig.has(k));
        const onlyOther = [...other.sig.keys()].filter((k) => !first.sig.has(k));
        if (onlyFirst.length > 0 || onlyOther.length > 0) {
          const list = (lb: LoadBalancer, m: Map<string, Set<string>>) => `${name(lb)} listens on ${m.size > 0 ? [...m.keys()].sort().join(', ') : 'nothing'}`;
          diffs.push(`${list(first.lb, first.sig)}, ${list(other.lb, other.sig)}`);
          continue;
        }
        for (const [k, a] of first.sig) {
          const b = other.sig.get(k)!;
          const same = a.size === b.size && [...a].every((x) => b.has(x));
          if (!same) diffs.push(`on ${k}, ${name(first.lb)} forwards to ${[...a].sort().join(' / ') || 'no target group'} and ${name(other.lb)} to ${[...b].sort().join(' / ') || 'no target group'}`);
        }
      }
      if (diffs.length === 0) continue;
      const r = s.resource;
      emit({
        message: `The load balancers of endpoint service ${r.address} are configured differently (${diffs.join('; ')}); each consumer endpoint network interface is tied to one of them at random, so consumers see different behaviour.`,
        location: attrLoc(r, prop(r, 'network_load_balancer_arns', 'NetworkLoadBalancerArns')),
        related: sigs.map((x) => ({ location: at(x.lb.resource), message: `load balancer ${x.lb.resource.address}` })),
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// PL019

const MAX_PRIVATELINK_LISTENERS = 50;

/** PL019: PrivateLink does not support NLBs with more than 50 listeners (A3.12). */
export const PL019: Rule = {
  id: 'PL019',
  check(ctx, emit) {
    for (const { lb, services } of lbsBehindServices(ctx.graph)) {
      if (lb.type !== 'network') continue;
      // Each count/for_each instance is its own listener; a listener whose instances cannot be known counts
      // as none, so the error is raised only when the known listeners alone are over the limit.
      const known = lb.listeners.filter((l) => !instancesUnknown(l.resource));
      const unsure = known.length < lb.listeners.length;
      if (known.length <= MAX_PRIVATELINK_LISTENERS) continue;
      const r = lb.resource;
      emit({
        message: `Network Load Balancer ${r.address} behind endpoint service ${services[0].address} has ${unsure ? 'at least ' : ''}${known.length} listeners; AWS PrivateLink does not support NLBs with more than ${MAX_PRIVATELINK_LISTENERS}.`,
        location: at(r),
        related: [
          ...services.map((s) => ({ location: at(s), message: `endpoint service ${s.address}` })),
          { location: at(known[MAX_PRIVATELINK_LISTENERS].resource), message: `listener ${MAX_PRIVATELINK_LISTENERS + 1}: ${known[MAX_PRIVATELINK_LISTENERS].resource.address}` },
        ],
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// PL026

/** The addresses an NLB's traffic comes from: its subnets' CIDRs and its VPC's (when known), and the VPC. */
function nlbAddresses(g: Graph, lb: LoadBalancer, tg: TargetGroup): { cidrs: string[]; vpc: Target } {
  const cidrs: string[] = [];
  for (const s of subnetsOf(g, lb.subnets) ?? []) if (s.cidr) cidrs.push(s.cidr);
  let vpc = nlbVpc(g, lb);
  if (vpc.kind === 'unknown') vpc = tg.vpc;
  const v = vpc.kind === 'resource' ? g.vpcs.get(vpc.resource.key) : undefined;
  if (v) cidrs.push(...v.cidrs);
  return { cidrs, vpc };
}

/**
 * Whether a rule's peer is a client address: a CIDR that overlaps none of the NLB's subnets or VPC, or an
 * address named by a resource in another VPC. `undefined` when that cannot be told.
 */
function clientPeer(g: Graph, rule: SgRule, nlb: { cidrs: string[]; vpc: Target }): boolean | undefined {
  const p = rule.peer;
  if (p.kind === 'cidr') {
    if (nlb.cidrs.length === 0) return undefined;
    for (const c of nlb.cidrs) {
      const o = cidrOverlaps(p.cidr, c);
      if (o === undefined) return undefined;
      if (o) return false;
    }
    return true;
  }
  if (p.kind === 'symbol') {
    // `aws_vpc.consumer.cidr_block`, `aws_subnet.c.cidr_block`, `aws_instance.c.private_ip`
    let owner: Target | undefined;
    for (const [k, v] of g.vpcs) if (p.id.startsWith(`${k}.`)) owner = { kind: 'resource', resource: v.resource, attr: [] };
    for (const [k, s] of g.subnets) if (p.id.startsWith(`${k}.`)) owner = s.vpc;
    for (const c of g.computes) if (p.id.startsWith(`${c.resource.key}.`)) owner = vpcOfSubnets(g, c.subnets);
    if (!owner || owner.kind === 'unknown' || nlb.vpc.kind === 'unknown') return undefined;
    return knownDifferent(owner, nlb.vpc) ? true : undefined;
  }
  return false;
}

/** Where to point at a rule: the inline block, or the name of the rule resource. */
function ruleLoc(rule: SgRule): Location {
  return rule.inline ? rule.origin : at(rule.declaredBy);
}

function covers(rule: SgRule, proto: string, port: number): boolean {
  if (rule.protocol === '-1') return true;
  if (rule.protocol !== proto || rule.fromPort === undefined || rule.toPort === undefined) return false;
  return rule.fromPort <= port && port <= rule.toPort;
}

/** PL026: the target's rules were written for client IPs, which PrivateLink traffic never carries (A5.2). */
export const PL026: Rule = {
  id: 'PL026',
  check(ctx, emit) {
    const g = ctx.graph;
    const seen = new Set<string>();
    for (const p of ctx.paths) {
      const lb = p.lb;
      if (!lb) continue;
      for (const prob of p.problems) {
        if (prob.ruleId !== 'PL025' || !prob.sgFix) continue;
        const tgKey = p.hops.find((h) => h.kind === 'targetGroup')?.resource;
        const targetKey = p.hops.find((h) => h.kind === 'target')?.resource;
        const tg = tgKey ? g.targetGroups.get(tgKey) : undefined;
        const compute = targetKey ? g.computes.find((c) => c.resource.key === targetKey) : undefined;
        if (!tg || !compute || compute.sgs.groups.length === 0) continue;
        const { protocol, port } = prob.sgFix;
        // The traffic port only: health checks never came from clients.
        if (!tg.targets.some((t) => t.compute === compute && t.port === port)) continue;
        const key = `${compute.sgs.groups.map((s) => s.key).join(',')}|${protocol}|${port}|${lb.resource.key}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const nlb = nlbAddresses(g, lb, tg);
        const owner = new Map<SgRule, SecurityGroup>();
        for (const sg of compute.sgs.groups) for (const r of sg.ingress) owner.set(r, sg);
        const rules = [...owner.keys()].filter((r) => covers(r, protocol, port));
        const kinds = rules.map((r) => clientPeer(g, r, nlb));
        if (rules.length === 0 || kinds.some((k) => k === undefined)) continue;
        const clientRules = rules.filter((_, i) => kinds[i] === true);
        const onlyClients = clientRules.length === rules.length;
        const preserve = tg.preserveClientIp === true && clientRules.length > 0;
        if (!onlyClients && !preserve) continue;
        const first = clientRules[0];
        emit({
          message: `Target security group ${owner.get(first)!.resource?.address ?? first.declaredBy.address} admits ${describeRule(first)}${onlyClients ? ' and nothing else on this port' : ''}, as if targets saw the clients' addresses${preserve ? ` (${tg.resource.address} preserves client IPs)` : ''}; PrivateLink traffic reaches the targets from the private IPs of NLB ${lb.resource.address} whatever client IP preservation says. Admit the NLB, and use proxy protocol v2 if the application needs the client's address.`,
          location: ruleLoc(first),
          related: [
            { location: at(lb.resource), message: `load balancer ${lb.resource.address}` },
            { location: attrLoc(tg.resource, prop(tg.resource, 'preserve_client_ip', 'TargetGroupAttributes')), message: `target group ${tg.resource.address}` },
            { location: at(compute.resource), message: `target ${compute.resource.address}` },
          ],
          // The fix is PL025's: admit the NLB. Proxy protocol v2 is advice, not a fix for the blocked traffic.
          fixes: [sgRuleFix(prob.sgFix, ctx.textOf)],
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// PL027

const QUIC = new Set(['QUIC', 'TCP_QUIC']);
const NOT_TCP_ONLY = new Set(['UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC']);

/** The NLB has security groups for sure (a known, non-empty list). */
function hasSgs(lb: LoadBalancer): boolean {
  const v = lb.resource.attrs[prop(lb.resource, 'security_groups', 'SecurityGroups')];
  return !!v && v.kind === 'list' && v.items.length > 0 && v.items.every((x) => x.kind !== 'null');
}

/** Why a listener forwards nowhere (case d), or undefined when it does or that is not known. */
function noForward(g: Graph, lb: LoadBalancer, l: Listener): { why: string; tgs?: TargetGroup[] } | undefined {
  const r = l.resource;
  const actions = r.attrs[prop(r, 'default_action', 'DefaultActions')];
  if (instancesUnknown(r) || (actions && (actions.kind === 'unknown' || firstUnknownItem(actions)))) return undefined;
  if (l.targetGroups.some((t) => t.kind !== 'resource')) return undefined;
  const tgs = tgsOf(g, l);
  if (l.targetGroups.length === 0) return { why: 'has no forward action to a target group' };
  if (tgs.length === 0) return { why: `forwards to ${l.targetGroups.map((t) => (t.kind === 'resource' ? t.resource.address : '?')).join(', ')}, which is not a target group` };
  const lbVpc = vpcOfSubnets(g, lb.subnets);
  const other = tgs.filter((tg) => knownDifferent(tg.vpc, lbVpc));
  if (other.length > 0 && other.length === tgs.length) {
    return { why: `forwards to ${other.map((tg) => `${tg.resource.address} in ${vpcName(tg.vpc)}`).join(', ')}, while the load balancer is in ${vpcName(lbVpc)}`, tgs: other };
  }
  return undefined;
}

const ACTION_TYPES = new Set(['forward', 'redirect', 'fixed-response', 'authenticate-oidc', 'authenticate-cognito']);

/**
 * An action that is not known statically: a `dynamic` block over unknowns, a type from a variable, or a type
 * that is none of the listener action types (a module model's stand-in for an action it does not describe).
 */
function firstUnknownItem(v: Value): boolean {
  return asList(v).some((i) => {
    if (i.kind !== 'object') return true;
    const type = getAttr(i, 'type') ?? getAttr(i, 'Type');
    if (type === undefined) return false;
    const t = asString(type)?.toLowerCase();
    return t === undefined || !ACTION_TYPES.has(t);
  });
}

/** PL027: listener / target-group protocol combinations that cannot work, and listeners that forward nowhere. */
export const PL027: Rule = {
  id: 'PL027',
  check(ctx, emit) {
    const g = ctx.graph;
    const behind = servicesByLb(g.services);
    const allListeners = [...g.lbs.values()].flatMap((lb) => lb.listeners);
    for (const lb of g.lbs.values()) {
      if (lb.type !== 'network') continue;
      const services = behind.get(lb.resource.key) ?? [];
      for (const l of lb.listeners) {
        const r = l.resource;
        const protoAttr = prop(r, 'protocol', 'Protocol');
        const proto = setting(r, 'protocol', 'Protocol');
        const protocol = proto.state === 'known' ? asString(proto.value)?.toUpperCase() : undefined;
        // (a) A TCP_UDP listener needs TCP_UDP target groups (A6.1).
        if (protocol === 'TCP_UDP') {
          for (const tg of tgsOf(g, l)) {
            const tgProto = setting(tg.resource, 'protocol', 'Protocol');
            if (tgProto.state !== 'known' || !tg.protocol || tg.protocol === 'TCP_UDP') continue;
            // Changing the group is safe only when every listener that uses it is TCP_UDP.
            const users = allListeners.filter((x) => tgsOf(g, x).includes(tg));
            const onlyTcpUdp = users.every((x) => asString(x.resource.attrs[prop(x.resource, 'protocol', 'Protocol')])?.toUpperCase() === 'TCP_UDP');
            const t = tg.resource;
            emit({
              message: `Listener ${r.address} is TCP_UDP, but it forwards to target group ${t.address} of protocol ${tg.protocol}; a TCP_UDP listener needs TCP_UDP target groups.`,
              location: attrLoc(t, prop(t, 'protocol', 'Protocol')),
              related: [{ location: attrLoc(r, protoAttr), message: `listener ${r.address} (TCP_UDP)` }],
              fixes: [onlyTcpUdp ? setAttributeFix(t, ctx.textOf, prop(t, 'protocol', 'Protocol'), '"TCP_UDP"', 'TCP_UDP', `Make ${t.address} a TCP_UDP target group (replaces the target group)`) : undefined],
            });
          }
        }
        // (b) QUIC listeners are not allowed on load balancers with security groups (A4.10).
        const quicWithSgs = !!protocol && QUIC.has(protocol) && hasSgs(lb);
        if (quicWithSgs) {
          emit({
            message: `Listener ${r.address} uses ${protocol}, which is not allowed on a load balancer with security groups, and ${lb.resource.address} has security groups (they cannot be removed from an existing NLB)${services.length > 0 ? '; interface endpoints are also documented as supporting TCP only' : ''}. Use TCP or TLS.`,
            location: attrLoc(r, protoAttr),
            related: [{ location: at(lb.resource), message: `load balancer ${lb.resource.address}` }],
          });
        }
        // (c) Interface endpoints are documented as TCP only (A2.4, verified in an older copy only). Said by
        // (b) already when that fires on the same listener.
        if (protocol && NOT_TCP_ONLY.has(protocol) && services.length > 0 && !quicWithSgs) {
          emit({
            severity: 'warning',
            message: `Listener ${r.address} on ${lb.resource.address} behind endpoint service ${services[0].address} uses ${protocol}; interface endpoints are documented as supporting TCP only. Use TCP or TLS for PrivateLink consumers.`,
            location: attrLoc(r, protoAttr),
            related: [{ location: at(services[0]), message: `endpoint service ${services[0].address}` }],
          });
        }
        // (d) An NLB listener must forward to a target group of its VPC (the path's listener hop).
        const nf = noForward(g, lb, l);
        if (nf) {
          emit({
            message: `Listener ${r.address} of ${lb.resource.address} ${nf.why}, so connections on ${protocol ?? '?'} ${l.port ?? '?'} have nowhere to go.`,
            location: at(r),
            related: [{ location: at(lb.resource), message: `load balancer ${lb.resource.address}` }, ...(nf.tgs ?? []).map((tg) => ({ location: at(tg.resource), message: `target group ${tg.resource.address}` }))],
            fixes: [nf.tgs ? undefined : forwardFix(g, lb, l, allListeners, ctx.textOf)],
          });
        }
      }
    }
  },
};

function sameFolderModule(a: Resource, b: Resource): boolean {
  const dir = (f: string) => f.slice(0, f.lastIndexOf('/'));
  return a.lang === b.lang && a.root === b.root && (a.modulePath ?? '') === (b.modulePath ?? '') && dir(a.file) === dir(b.file);
}

/**
 * PL027 (d): forward to the one target group that fits: same module and VPC, a protocol the listener can
 * forward to, and not used by another listener yet. Written only where the listener has no action at all
 * (TF) or an empty / absent `DefaultActions` (CFN); anything else is left to the author.
 */
function forwardFix(g: Graph, lb: LoadBalancer, l: Listener, all: Listener[], textOf: TextOf): Fix | undefined {
  const r = l.resource;
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text)) return undefined;
  const lbVpc = vpcOfSubnets(g, lb.subnets);
  const proto = asString(r.attrs[prop(r, 'protocol', 'Protocol')])?.toUpperCase();
  const used = new Set(all.flatMap((x) => tgsOf(g, x)));
  const fits = (tgProto: string | undefined) => proto !== undefined && tgProto !== undefined && (tgProto === proto || (proto === 'TLS' && tgProto === 'TCP'));
  const candidates = [...g.targetGroups.values()].filter((tg) => sameFolderModule(tg.resource, r) && !used.has(tg) && sameTarget(tg.vpc, lbVpc) === true && fits(tg.protocol));
  if (candidates.length !== 1) return undefined;
  const tg = candidates[0].resource;
  const title = `Forward ${r.address} to ${tg.address}`;
  if (r.lang === 'terraform') {
    if (r.attrSpans.default_action) return undefined;
    const close = r.span.end - 1;
    if (text[close] !== '}') return undefined;
    const ls = lineStartAt(text, close);
    if (text.slice(ls, close).trim() !== '') return undefined;
    const spans = Object.values(r.attrSpans);
    const ind = spans.length > 0 ? /^[ \t]*/.exec(text.slice(lineStartAt(text, spans[0].start)))![0] : `${text.slice(ls, close)}  `;
    const nl = eol(text);
    const block = ['', `${ind}default_action {`, `${ind}  type             = "forward"`, `${ind}  target_group_arn = ${tfRef(tg, 'arn')}`, `${ind}}`, ''].join(nl);
    return { title, edits: [{ file: r.file, span: { start: ls, end: ls }, newText: block }], preferred: true };
  }
  const actions = r.attrs.DefaultActions;
  if (actions && !(actions.kind === 'list' && actions.items.length === 0)) return undefined;
  return setAttributeFix(r, textOf, 'DefaultActions', '', `[{ Type: forward, TargetGroupArn: !Ref ${tg.address} }]`, title);
}

// ---------------------------------------------------------------------------------------------------------
// PL028

interface Served {
  tcp: Set<number>;
  udp: Set<number>;
}

/**
 * The ports the listeners behind a security group serve, when the group is used only on the PrivateLink path
 * (interface endpoints to endpoint services, NLBs behind them) and every listener is known.
 */
function servedPorts(g: Graph, sg: SecurityGroup, behind: Map<string, Resource[]>): Served | undefined {
  const attached = g.sgAttachments.get(sg.key) ?? [];
  if (attached.length === 0 || sg.isDefault || !sg.resource) return undefined;
  const lbKeys = new Set<string>();
  for (const r of attached) {
    const e = g.endpoints.find((x) => x.resource === r);
    if (e) {
      if (!e.service || e.type.toLowerCase() !== 'interface') return undefined;
      for (const t of e.service.lbs) {
        if (t.kind !== 'resource') return undefined;
        lbKeys.add(t.resource.key);
      }
      continue;
    }
    if (g.lbs.has(r.key) && behind.has(r.key)) {
      lbKeys.add(r.key);
      continue;
    }
    return undefined;
  }
  const served: Served = { tcp: new Set(), udp: new Set() };
  for (const k of lbKeys) {
    const lb = g.lbs.get(k);
    if (!lb || lb.listeners.length === 0) return undefined;
    for (const l of lb.listeners) {
      const key = listenerKey(l);
      if (!key || key.protocol === '(not set)') return undefined;
      for (const f of families(key.protocol)) served[f].add(key.port);
    }
  }
  return served;
}

function describeServed(s: Served): string {
  const part = (name: string, ports: Set<number>) => (ports.size > 0 ? `${name} ${[...ports].sort((a, b) => a - b).join(', ')}` : undefined);
  return [part('TCP', s.tcp), part('UDP', s.udp)].filter(Boolean).join(' and ');
}

/** The served ports of one protocol as a single range, when they are contiguous. */
function contiguous(ports: number[]): [number, number] | undefined {
  if (ports.length === 0) return undefined;
  const s = [...ports].sort((a, b) => a - b);
  return s[s.length - 1] - s[0] === s.length - 1 ? [s[0], s[s.length - 1]] : undefined;
}

/** PL028: least privilege on the PrivateLink groups: admit only what a listener serves. */
export const PL028: Rule = {
  id: 'PL028',
  check(ctx, emit) {
    const g = ctx.graph;
    const behind = servicesByLb(g.services);
    const seen = new Set<string>();
    for (const sg of g.sgs.values()) {
      const served = servedPorts(g, sg, behind);
      if (!served || seen.has(sg.key)) continue;
      seen.add(sg.key);
      const rules = new Set<string>();
      for (const rule of sg.ingress) {
        const k = `${rule.origin.file}:${rule.origin.span.start}:${rule.origin.span.end}`;
        if (rules.has(k)) continue;
        let target: { protocol: 'tcp' | 'udp'; range: [number, number] } | undefined;
        let unserved = false;
        if (rule.protocol === '-1') {
          unserved = true;
          // One rule can name one protocol: narrow only when the listeners use one.
          const only = served.udp.size === 0 ? 'tcp' : served.tcp.size === 0 ? 'udp' : undefined;
          const range = only && contiguous([...served[only]]);
          if (only && range) target = { protocol: only, range };
        } else if (rule.protocol === 'tcp' || rule.protocol === 'udp') {
          if (rule.fromPort === undefined || rule.toPort === undefined) continue;
          const all = rule.fromPort === -1 && rule.toPort === -1;
          const from = all ? 0 : rule.fromPort;
          const to = all ? 65535 : rule.toPort;
          const inRange = [...served[rule.protocol]].filter((p) => from <= p && p <= to);
          unserved = inRange.length < to - from + 1;
          const range = contiguous(inRange);
          if (range) target = { protocol: rule.protocol, range };
        }
        if (!unserved) continue;
        rules.add(k);
        const what = sg.resource!.address;
        emit({
          message: `Security group ${what} on the PrivateLink path admits ${describeRule(rule)}, but its listeners serve only ${describeServed(served)}; nothing arrives on the other ports.`,
          location: ruleLoc(rule),
          fixes: [target ? narrowFix(sg, rule, target.protocol, target.range, ctx.textOf) : undefined],
        });
      }
    }
  },
};

/** The object a rule was written as (inline block / list item, or the rule resource's attributes) and its span. */
function ruleObject(sg: SecurityGroup, rule: SgRule): { entries: Record<string, Value>; span: Span } | undefined {
  const r = rule.declaredBy;
  if (!rule.inline) return { entries: r.attrs, span: r.span };
  if (r !== sg.resource) return undefined;
  const list = r.attrs[r.lang === 'terraform' ? 'ingress' : 'SecurityGroupIngress'];
  const item = asList(list).find((x) => x.kind === 'object' && x.origin && x.origin.file === rule.origin.file && x.origin.span.start === rule.origin.span.start && x.origin.span.end === rule.origin.span.end);
  return item && item.kind === 'object' ? { entries: item.entries, span: item.origin!.span } : undefined;
}

/**
 * PL028's fix: rewrite the rule's protocol and ports in place. Only values written literally inside the rule
 * are replaced (a value from a variable or a `dynamic` block stays as it is, and then there is no fix); a port
 * that the rule form may omit (protocol -1) is added on the line after the protocol.
 */
function narrowFix(sg: SecurityGroup, rule: SgRule, protocol: 'tcp' | 'udp', [from, to]: [number, number], textOf: TextOf): Fix | undefined {
  const r = rule.declaredBy;
  const text = textOf(rule.origin.file);
  if (text === undefined || !isDeclaredInFile(r, text) || (r.lang === 'cloudformation' && isJson(r.file))) return undefined;
  const obj = ruleObject(sg, rule);
  if (!obj) return undefined;
  const tf = r.lang === 'terraform';
  // Rules generated by a `dynamic` block share one `content` body; leave those to the author.
  if (tf && rule.inline && !text.startsWith('ingress', obj.span.start)) return undefined;
  const protoKey = tf ? (obj.entries.ip_protocol ? 'ip_protocol' : 'protocol') : 'IpProtocol';
  const fromKey = tf ? 'from_port' : 'FromPort';
  const toKey = tf ? 'to_port' : 'ToPort';
  const proto = obj.entries[protoKey];
  if (!inside(proto?.origin, r.file, obj.span)) return undefined;
  const edits: TextEdit[] = [{ file: r.file, span: proto!.origin!.span, newText: tf ? JSON.stringify(protocol) : protocol }];
  const missing: [string, number][] = [];
  for (const [key, value] of [
    [fromKey, from],
    [toKey, to],
  ] as const) {
    const v = obj.entries[key];
    if (!v || v.kind === 'null') missing.push([key, value]);
    else if (inside(v.origin, r.file, obj.span)) edits.push({ file: r.file, span: v.origin.span, newText: String(value) });
    else return undefined;
  }
  if (missing.length > 0) {
    // Only the forms where ports may be left out for protocol -1 reach here.
    const ls = lineStartAt(text, proto!.origin!.span.start);
    const line = text.slice(ls, lineEndAt(text, ls));
    const m = tf ? /^([ \t]*)(ip_protocol|protocol)\s*=/.exec(line) : /^([ \t]*(?:-[ \t]+)?)IpProtocol[ \t]*:/.exec(line);
    if (!m || lineEndAt(text, proto!.origin!.span.end) !== lineEndAt(text, ls)) return undefined;
    const ind = tf ? m[1] : ' '.repeat(m[1].length);
    const nl = eol(text);
    // Line the new Terraform attributes up with the protocol's `=`, as `terraform fmt` would.
    const width = tf ? line.indexOf('=') - ind.length - 1 : 0;
    const lines = missing.map(([k, v]) => (tf ? `${ind}${k.padEnd(width)} = ${v}` : `${ind}${k}: ${v}`));
    const end = lineEndAt(text, ls);
    edits.push({ file: r.file, span: { start: end, end }, newText: nl + lines.join(nl) });
  }
  const ports = from === to ? `${from}` : `${from}-${to}`;
  return { title: `Narrow the rule to ${protocol.toUpperCase()} ${ports} (the listener ports)`, edits, preferred: true };
}

// ---------------------------------------------------------------------------------------------------------
// PL029

/** The cross-zone setting of a load balancer: true, false (also when absent), or undefined (not known). */
function lbCrossZone(lb: LoadBalancer): boolean | undefined {
  const r = lb.resource;
  if (r.lang === 'terraform') {
    const s = setting(r, 'enable_cross_zone_load_balancing', '');
    return s.state === 'absent' ? false : s.state === 'known' ? asBool(s.value) : undefined;
  }
  const e = cfnKeyed(r.attrs.LoadBalancerAttributes, 'load_balancing.cross_zone.enabled');
  return e.state === 'absent' ? false : e.state === 'known' ? asBool(e.value) : undefined;
}

/** A target group's own cross-zone setting: true, false, 'inherit', or undefined (not known). */
function tgCrossZone(tg: TargetGroup): boolean | 'inherit' | undefined {
  const s = tgSetting(tg.resource, 'load_balancing_cross_zone_enabled', 'load_balancing.cross_zone.enabled');
  if (s.state === 'absent') return 'inherit';
  if (s.state === 'unknown') return undefined;
  const v = asString(s.value)?.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : v === 'use_load_balancer_configuration' ? 'inherit' : undefined;
}

/** Where a target runs: subnets, an explicit zone name, every zone, or undefined (not known). */
type Zones = { subnets: Subnet[] } | { name: string } | 'all';

function zonesOf(g: Graph, tg: TargetGroup, t: TargetNode): Zones | undefined {
  if (t.compute) {
    const subnets = subnetsOf(g, t.compute.subnets);
    return subnets ? { subnets } : undefined;
  }
  if (t.ip) {
    const az = t.via.type === 'aws_lb_target_group_attachment' || t.via.type === 'aws_alb_target_group_attachment' ? t.via.attrs.availability_zone : undefined;
    if (az && az.kind !== 'null') {
      const name = asString(az);
      if (name === undefined) return undefined;
      return name === 'all' ? 'all' : { name };
    }
    const hits = [...g.subnets.values()].filter((s) => s.cidr && ipInCidr(t.ip!, s.cidr) === true && (tg.vpc.kind === 'unknown' || sameTarget(s.vpc, tg.vpc) !== false));
    return hits.length === 1 ? { subnets: hits } : undefined;
  }
  return undefined;
}

/** PL029: with cross-zone off, a zone of the NLB without targets is unhealthy (A6.2, A3.10). */
export const PL029: Rule = {
  id: 'PL029',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const { lb, services } of lbsBehindServices(g)) {
      if (lb.type !== 'network') continue;
      const lbCz = lbCrossZone(lb);
      const lbSubnets = subnetsOf(g, lb.subnets);
      if (lbCz === undefined || !lbSubnets) continue;
      const inherited: { tg: TargetGroup; empty: string[] }[] = [];
      const seen = new Set<TargetGroup>();
      for (const l of lb.listeners) {
        for (const tg of tgsOf(g, l)) {
          if (seen.has(tg)) continue;
          seen.add(tg);
          const own = tgCrossZone(tg);
          if (own === undefined || (own === 'inherit' ? lbCz : own)) continue;
          // No target in the workspace says nothing about the zones (targets may be registered elsewhere).
          if (tg.targets.length === 0) continue;
          const zones = tg.targets.map((t) => zonesOf(g, tg, t));
          if (zones.some((z) => z === undefined) || zones.includes('all')) continue;
          const empty = emptyZones(lbSubnets, zones as Exclude<Zones, 'all'>[]);
          if (!empty || empty.length === 0) continue;
          if (own === false) {
            const t = tg.resource;
            emit({
              message: `Target group ${t.address} turns cross-zone load balancing off, and it has no target in ${empty.join(', ')}, where ${lb.resource.address} is enabled; an empty zone is unhealthy, so consumers whose endpoint is in that zone fail.`,
              location: attrLoc(t, prop(t, 'load_balancing_cross_zone_enabled', 'TargetGroupAttributes')),
              related: [{ location: at(lb.resource), message: `load balancer ${lb.resource.address}` }],
              fixes: [crossZoneFix(t, ctx.textOf)],
            });
          } else inherited.push({ tg, empty });
        }
      }
      if (inherited.length === 0) continue;
      const r = lb.resource;
      const name = prop(r, 'enable_cross_zone_load_balancing', 'LoadBalancerAttributes');
      emit({
        message: `Network Load Balancer ${r.address} behind endpoint service ${services[0].address} is enabled in zones without targets (${inherited.map((x) => `${x.empty.join(', ')} for ${x.tg.resource.address}`).join('; ')}) and cross-zone load balancing is off; an empty zone is unhealthy, so consumers whose endpoint is in that zone fail.`,
        location: attrLoc(r, name),
        related: inherited.map((x) => ({ location: at(x.tg.resource), message: `target group ${x.tg.resource.address}` })),
        fixes: [crossZoneFix(r, ctx.textOf)],
      });
    }
  },
};

/**
 * The NLB's zones that no target covers, compared by zone id when every subnet involved has one, else by
 * zone name; undefined when neither is known for all of them.
 */
function emptyZones(lbSubnets: Subnet[], zones: ({ subnets: Subnet[] } | { name: string })[]): string[] | undefined {
  const targetSubnets = zones.flatMap((z) => ('subnets' in z ? z.subnets : []));
  const named = zones.filter((z): z is { name: string } => 'name' in z).map((z) => z.name);
  const all = [...lbSubnets, ...targetSubnets];
  let key: (s: Subnet) => string | undefined;
  if (named.length === 0 && all.every((s) => s.azId)) key = (s) => s.azId;
  else if (all.every((s) => s.az)) key = (s) => s.az;
  else return undefined;
  const covered = new Set([...targetSubnets.map(key), ...named]);
  return [...new Set(lbSubnets.map(key))].filter((z): z is string => !!z && !covered.has(z));
}

/** Turns cross-zone load balancing on, on the load balancer or on a target group that turned it off. */
function crossZoneFix(r: Resource, textOf: TextOf): Fix | undefined {
  const isLb = r.type === 'aws_lb' || r.type === 'aws_alb' || r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer';
  const title = `Turn on cross-zone load balancing for ${r.address}`;
  if (r.lang === 'terraform') {
    return isLb ? setAttributeFix(r, textOf, 'enable_cross_zone_load_balancing', 'true', '', title) : setAttributeFix(r, textOf, 'load_balancing_cross_zone_enabled', '"true"', '', title);
  }
  const text = textOf(r.file);
  if (text === undefined || isJson(r.file)) return undefined;
  const listName = isLb ? 'LoadBalancerAttributes' : 'TargetGroupAttributes';
  const key = 'load_balancing.cross_zone.enabled';
  if (!r.attrSpans[listName]) return setAttributeFix(r, textOf, listName, '', `[{ Key: ${key}, Value: "true" }]`, title);
  const e = cfnKeyed(r.attrs[listName], key);
  if (e.state === 'known') {
    return inside(e.value.origin, r.file, r.span) ? { title, edits: [{ file: r.file, span: e.value.origin.span, newText: '"true"' }], preferred: true } : undefined;
  }
  if (e.state !== 'absent') return undefined;
  // Append one item to a block-style list, shaped like the last item.
  const items = asList(r.attrs[listName]);
  const last = items[items.length - 1];
  if (!inside(last?.origin, r.file, r.span)) return undefined;
  const ls = lineStartAt(text, last.origin!.span.start);
  const prefix = text.slice(ls, last.origin!.span.start);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  const nl = eol(text);
  const end = lineEndAt(text, lastContentEnd(text, last.origin!.span));
  return { title, edits: [{ file: r.file, span: { start: end, end }, newText: `${nl}${prefix}Key: ${key}${nl}${' '.repeat(prefix.length)}Value: "true"` }], preferred: true };
}

// ---------------------------------------------------------------------------------------------------------
// PL030

/** PL030: proxy protocol v2 reaches the health checks too; for PrivateLink it carries the endpoint ID (A5.4, A3.3). */
export const PL030: Rule = {
  id: 'PL030',
  check(ctx, emit) {
    const g = ctx.graph;
    const seen = new Set<TargetGroup>();
    for (const { lb, services } of lbsBehindServices(g)) {
      for (const l of lb.listeners) {
        for (const tg of tgsOf(g, l)) {
          if (seen.has(tg) || !tg.proxyProtocolV2) continue;
          seen.add(tg);
          const r = tg.resource;
          const httpHc = tg.healthCheckProtocol === 'HTTP' || tg.healthCheckProtocol === 'HTTPS';
          const entry = r.lang === 'cloudformation' ? cfnKeyed(r.attrs.TargetGroupAttributes, 'proxy_protocol_v2.enabled') : undefined;
          const location = r.lang === 'terraform' ? attrLoc(r, 'proxy_protocol_v2') : entry?.state === 'known' && inside(entry.item.origin, r.file, r.span) ? entry.item.origin : attrLoc(r, 'TargetGroupAttributes');
          emit({
            severity: httpHc ? 'warning' : 'info',
            message: `Target group ${r.address} behind endpoint service ${services[0].address} sends a proxy protocol v2 header, on health checks too${httpHc ? `; its ${tg.healthCheckProtocol} health check fails on targets that do not expect the header` : ''}. Every target must parse it; the header carries the consumer's address and VPC endpoint ID.`,
            location,
            related: [{ location: at(lb.resource), message: `load balancer ${lb.resource.address}` }],
            fixes: [ppv2OffFix(r, ctx.textOf)],
          });
        }
      }
    }
  },
};

/** Turning proxy protocol v2 off: an option when the application does not need the consumer's identity. */
function ppv2OffFix(r: Resource, textOf: TextOf): Fix | undefined {
  const title = `Turn proxy protocol v2 off for ${r.address}`;
  let f: Fix | undefined;
  if (r.lang === 'terraform') f = setAttributeFix(r, textOf, 'proxy_protocol_v2', 'false', '', title);
  else if (!isJson(r.file)) {
    const e = cfnKeyed(r.attrs.TargetGroupAttributes, 'proxy_protocol_v2.enabled');
    if (e.state === 'known' && inside(e.value.origin, r.file, r.span)) f = { title, edits: [{ file: r.file, span: e.value.origin.span, newText: '"false"' }] };
  }
  // A reminder, not a defect: the edit is offered, never preferred.
  return f && { ...f, preferred: false };
}

// ---------------------------------------------------------------------------------------------------------
// PL032

/** PL032: a security group can be attached only in its own VPC (A1.6). */
export const PL032: Rule = {
  id: 'PL032',
  check(ctx, emit) {
    const g = ctx.graph;
    // The carriers of privatelink.md E0: endpoints, NLBs behind services, their targets, and the clients.
    const carriers = new Map<string, { r: Resource; groups: SecurityGroup[]; vpc: Target; what: string }>();
    const add = (r: Resource, groups: SecurityGroup[], vpc: Target, what: string) => {
      if (!carriers.has(r.key)) carriers.set(r.key, { r, groups, vpc, what });
    };
    const computeVpc = (c: Compute) => vpcOfSubnets(g, c.subnets);
    for (const e of g.endpoints) if (!e.usesDefaultSg) add(e.resource, e.sgs.groups, e.vpc, 'endpoint');
    for (const { lb } of lbsBehindServices(g)) {
      add(lb.resource, lb.sgs.groups, vpcOfSubnets(g, lb.subnets), 'load balancer');
      for (const l of lb.listeners) for (const tg of tgsOf(g, l)) for (const t of tg.targets) if (t.compute) add(t.compute.resource, t.compute.sgs.groups, computeVpc(t.compute), 'target');
    }
    for (const p of ctx.paths) if (p.client) add(p.client.resource, p.client.sgs.groups, computeVpc(p.client), 'client');

    const bySg = new Map<string, { sg: SecurityGroup; related: RelatedInfo[]; names: string[] }>();
    for (const { r, groups, vpc, what } of carriers.values()) {
      for (const sg of groups) {
        if (!sg.resource || !knownDifferent(sg.vpc, vpc)) continue;
        const entry = bySg.get(sg.key) ?? { sg, related: [], names: [] };
        entry.related.push({ location: at(r), message: `${what} ${r.address} in ${vpcName(vpc)}` });
        entry.names.push(`${what} ${r.address} (in ${vpcName(vpc)})`);
        bySg.set(sg.key, entry);
      }
    }
    for (const { sg, related, names } of bySg.values()) {
      const r = sg.resource!;
      emit({
        message: `Security group ${r.address} belongs to ${vpcName(sg.vpc)} but is attached to ${names.join(', ')}; a security group can be used only in its own VPC.`,
        location: attrLoc(r, prop(r, 'vpc_id', 'VpcId')),
        related,
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// PL034

/** PL034: flow logs are how a silently dropped PrivateLink flow is found (A4.9). */
export const PL034: Rule = {
  id: 'PL034',
  check(ctx, emit) {
    const g = ctx.graph;
    const onPath = new Map<string, RelatedInfo[]>();
    const addVpc = (vpc: Target, r: Resource, what: string) => {
      if (vpc.kind !== 'resource' || !g.vpcs.has(vpc.resource.key)) return;
      const l = onPath.get(vpc.resource.key) ?? [];
      l.push({ location: at(r), message: `${what} ${r.address}` });
      onPath.set(vpc.resource.key, l);
    };
    for (const e of g.endpoints) if (isCustomEndpoint(e)) addVpc(e.vpc, e.resource, 'interface endpoint');
    for (const { lb } of lbsBehindServices(g)) addVpc(nlbVpc(g, lb), lb.resource, 'load balancer');
    if (onPath.size === 0) return;

    const covered = new Set<string>();
    // Flow logs whose target is not known might watch any VPC of their root (or, across stacks, any template).
    const unsureRoots = new Set<string>();
    let unsureCfn = false;
    for (const fl of g.flowLogs) {
      const vpc = flowLogVpc(g, fl.target);
      if (vpc) covered.add(vpc);
      else if (fl.target.kind === 'unknown') {
        unsureRoots.add(fl.resource.root);
        if (fl.resource.lang === 'cloudformation') unsureCfn = true;
      }
    }
    for (const [key, related] of onPath) {
      const v = g.vpcs.get(key)!;
      const r = v.resource;
      if (covered.has(key) || unsureRoots.has(r.root) || (r.lang === 'cloudformation' && unsureCfn)) continue;
      emit({
        message: `VPC ${r.address} carries a PrivateLink path but has no flow log (for the VPC, or a subnet or network interface in it); security groups drop traffic silently, and flow logs are where rejected flows show.`,
        location: at(r),
        related,
      });
    }
  },
};

/** The VPC a flow log watches: the VPC itself, a subnet's VPC, or a network interface's subnet's VPC. */
function flowLogVpc(g: Graph, t: Target): string | undefined {
  if (t.kind !== 'resource') return undefined;
  const r = t.resource;
  if (g.vpcs.has(r.key)) return r.key;
  const s = g.subnets.get(r.key);
  if (s) return s.vpc.kind === 'resource' ? s.vpc.resource.key : undefined;
  if (r.type === 'aws_network_interface' || r.type === 'AWS::EC2::NetworkInterface') {
    const sub = g.index.target(r.lang === 'terraform' ? r.attrs.subnet_id : r.attrs.SubnetId);
    const sn = sub.kind === 'resource' ? g.subnets.get(sub.resource.key) : undefined;
    return sn?.vpc.kind === 'resource' ? sn.vpc.resource.key : undefined;
  }
  return undefined;
}
