import type { Hop, HopKind, PrivateLinkPath, Verdict } from '../model/finding';
import type { Location } from '../model/span';
import type { Settings } from '../settings';
import { type Compute, type Endpoint, type Graph, type LoadBalancer, type Listener, type TargetGroup, type TargetNode, type SgSet, sameTarget, subnetCidrs, vpcCidrs } from './build';
import { allowsAll, defaultSg, describeRule, type PeerSet, type SecurityGroup, type SgRule } from './securityGroups';
import { targetId } from './refs';

/**
 * A blocked or unknown check on a hop, with everything a rule needs to report it and write its fix: which
 * group, which direction, which port, and who was on the other side.
 */
export interface HopProblem {
  ruleId: string;
  verdict: 'blocked' | 'unknown';
  message: string;
  location: Location;
  related: { location: Location; message: string }[];
  /** For SG problems: the group that must change, and the rule that would fix it. */
  sgFix?: SgFixRequest;
  /** PL022: the rule whose security-group peer should become the consumers' CIDRs. */
  replacePeer?: { rule: SgRule; cidrs: string[] };
}

export interface SgFixRequest {
  sg: SecurityGroup;
  direction: 'ingress' | 'egress';
  protocol: string;
  port: number;
  /** Reference this group (preferred when possible) or these CIDRs. */
  peerSg?: SecurityGroup;
  peerCidrs?: string[];
  description: string;
  /** A short name for the other side, for resource names (`client`, `nlb`). */
  peerName: string;
}

export interface EvaluatedPath extends PrivateLinkPath {
  problems: HopProblem[];
  endpoint?: Endpoint;
  client?: Compute;
  lb?: LoadBalancer;
}

const MAX_PATHS_PER_ENDPOINT = 64;

function at(r: { file: string; nameSpan: { start: number; end: number } }): Location {
  return { file: r.file, span: r.nameSpan };
}

function protoOf(listenerProtocol: string | undefined): string[] {
  switch (listenerProtocol) {
    case 'UDP':
      return ['udp'];
    case 'TCP_UDP':
      return ['tcp', 'udp'];
    default:
      return ['tcp'];
  }
}

/** Identities a peer's security groups match in rules: the SG keys, and for a default SG its VPC too. */
function sgIds(set: SgSet): Set<string> | undefined {
  if (set.unresolved.length > 0 && set.groups.length === 0) return undefined;
  const ids = new Set<string>();
  for (const g of set.groups) {
    ids.add(g.key);
    if (g.resource) ids.add(g.resource.key);
    if (g.isDefault && g.vpc.kind === 'resource') ids.add(g.vpc.resource.key);
  }
  return ids;
}

/** Combined verdict of a check over all groups attached to one ENI: rules of all groups are unioned. */
function checkGroups(
  set: SgSet,
  direction: 'ingress' | 'egress',
  peer: PeerSet,
  proto: string,
  port: number,
): { verdict: Verdict; reason?: string; by?: SgRule } {
  const a = allowsAll(set.groups, direction, peer, proto, port);
  if (a.verdict === 'open') return { verdict: 'open', by: a.by[0] };
  if (set.unresolved.length > 0) return { verdict: 'unknown', reason: set.unresolved[0] };
  if (a.verdict === 'unknown') return { verdict: 'unknown', reason: a.reason };
  return { verdict: 'blocked' };
}

/**
 * What reaches a target: its traffic port with each protocol of the target group, and the health-check port
 * over TCP (health checks of TCP, UDP and TCP_UDP groups are TCP unless HTTP/HTTPS, which are TCP too).
 */
function targetChecks(tg: TargetGroup, listener: Listener | undefined, port: number | undefined): { proto: string; port: number; hc: boolean }[] {
  const out: { proto: string; port: number; hc: boolean }[] = [];
  if (port !== undefined) for (const proto of protoOf(tg.protocol ?? listener?.protocol)) out.push({ proto, port, hc: false });
  const hc = tg.healthCheckPort ?? port;
  if (hc !== undefined && !out.some((c) => c.proto === 'tcp' && c.port === hc)) out.push({ proto: 'tcp', port: hc, hc: true });
  return out;
}

function combine(vs: Verdict[]): Verdict {
  if (vs.includes('blocked')) return 'blocked';
  if (vs.includes('unknown')) return 'unknown';
  return 'open';
}

function sgLabel(set: SgSet): string {
  const names = set.groups.map((g) => (g.resource ? g.resource.address : `default SG of ${g.vpc.kind === 'resource' ? g.vpc.resource.address : 'the VPC'}`));
  return names.length > 0 ? names.join(', ') : set.unresolved.length > 0 ? '(not known)' : '(none)';
}

function sgLocation(set: SgSet, fallback: Location): Location {
  const g = set.groups[0];
  if (g?.resource) return at(g.resource);
  if (g && g.vpc.kind === 'resource') return at(g.vpc.resource);
  return fallback;
}

/** The group a fix should edit: the first explicit group (not the implicit default one). */
function fixTarget(set: SgSet): SecurityGroup | undefined {
  return set.groups.find((g) => g.resource !== undefined);
}

/** Clients of an endpoint: compute in its VPC related to it by an SG reference, a shared SG, or a declaration. */
export function clientsOf(g: Graph, e: Endpoint): Compute[] {
  const eIds = sgIds(e.sgs) ?? new Set<string>();
  const out: Compute[] = [];
  for (const c of g.computes) {
    const declared = c.resource.annotations.some((a) => a.kind === 'link' && (a.value === e.resource.address || a.value.endsWith(`#${e.resource.address}`)));
    if (declared) {
      out.push(c);
      continue;
    }
    const cIds = sgIds(c.sgs) ?? new Set<string>();
    const shared = [...cIds].some((id) => eIds.has(id) && !id.startsWith('default-sg:'));
    const refsEach =
      e.sgs.groups.some((sg) => sg.ingress.some((r) => r.peer.kind === 'sg' && cIds.has(targetId(r.peer.target) ?? ''))) ||
      c.sgs.groups.some((sg) => sg.egress.some((r) => r.peer.kind === 'sg' && eIds.has(targetId(r.peer.target) ?? '')));
    // An explicit SG reference also names a client in a peered VPC; a shared group needs the same VPC.
    if (refsEach || (shared && sameTarget(c.vpc, e.vpc) !== false)) out.push(c);
  }
  return out;
}

function computeSgs(g: Graph, c: Compute): SgSet {
  if (c.sgs.groups.length > 0 || c.sgs.unresolved.length > 0) return c.sgs;
  // No SG in the config: AWS attaches the VPC's default SG.
  if (c.vpc.kind === 'resource' && g.vpcs.has(c.vpc.resource.key)) return { groups: [defaultSg(g.sgs, g.index, c.vpc.resource)], unresolved: [] };
  return { groups: [], unresolved: [`${c.resource.address} has no security groups in the config and its VPC is not known`] };
}

/**
 * The addresses of something in subnets of a VPC: its subnets' CIDRs (or its VPC's), and the symbolic
 * names those addresses have when they are known only after apply (its own IP, its subnets', its VPC's).
 */
function addrsOf(g: Graph, subnets: Compute['subnets'], vpc: Compute['vpc'], self?: string): { cidrs?: string[]; why?: string; symbols: Set<string> } {
  const symbols = new Set<string>();
  if (self) symbols.add(`${self}.private_ip`);
  for (const t of subnets) {
    if (t.kind !== 'resource') continue;
    symbols.add(`${t.resource.key}.cidr_block`);
    const sn = g.subnets.get(t.resource.key);
    if (sn?.vpc.kind === 'resource') symbols.add(`${sn.vpc.resource.key}.cidr_block`);
  }
  if (vpc.kind === 'resource') symbols.add(`${vpc.resource.key}.cidr_block`);
  const s = subnetCidrs(g, subnets);
  if (s.cidrs) return { ...s, symbols };
  const v = vpcCidrs(g, vpc);
  return v.cidrs ? { ...v, symbols } : { ...s, symbols };
}

/** Builds and evaluates every PrivateLink path of the workspace. */
export function evaluatePaths(g: Graph, settings: Settings): EvaluatedPath[] {
  const paths: EvaluatedPath[] = [];
  const endpointServices = new Set<string>();
  for (const e of g.endpoints) {
    if (!e.service) continue;
    endpointServices.add(e.service.resource.key);
    const clients = clientsOf(g, e);
    let n = 0;
    for (const client of clients.length > 0 ? clients : [undefined]) {
      for (const p of servicePaths(g, e.service.lbs)) {
        if (n++ >= MAX_PATHS_PER_ENDPOINT) break;
        paths.push(evaluateOne(g, settings, e, client, p));
      }
    }
  }
  // Provider-only services: the NLB half of the path can still be checked.
  for (const s of g.services) {
    if (endpointServices.has(s.resource.key)) continue;
    for (const p of servicePaths(g, s.lbs)) paths.push(evaluateOne(g, settings, undefined, undefined, p, s));
  }
  return paths;
}

interface ServiceLeg {
  lb?: LoadBalancer;
  lbUnresolved?: string;
  listener?: Listener;
  tg?: TargetGroup;
  target?: TargetNode;
}

function servicePaths(g: Graph, lbs: Graph['services'][number]['lbs']): ServiceLeg[] {
  const legs: ServiceLeg[] = [];
  for (const t of lbs) {
    const lb = t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined;
    if (!lb) {
      legs.push({ lbUnresolved: t.kind === 'unknown' ? t.reason : t.kind === 'literal' ? `load balancer ${t.id} is not defined in the workspace` : `${t.resource.address} is not a load balancer` });
      continue;
    }
    if (lb.listeners.length === 0) legs.push({ lb });
    for (const l of lb.listeners) {
      const tgs = l.targetGroups.map((x) => (x.kind === 'resource' ? g.targetGroups.get(x.resource.key) : undefined)).filter((x): x is TargetGroup => !!x);
      if (tgs.length === 0) legs.push({ lb, listener: l });
      for (const tg of tgs) {
        if (tg.targets.length === 0) legs.push({ lb, listener: l, tg });
        for (const target of tg.targets) legs.push({ lb, listener: l, tg, target });
      }
    }
  }
  return legs;
}

function evaluateOne(g: Graph, settings: Settings, e: Endpoint | undefined, client: Compute | undefined, leg: ServiceLeg, serviceOnly?: Graph['services'][number]): EvaluatedPath {
  const hops: Hop[] = [];
  const problems: HopProblem[] = [];
  const hop = (kind: HopKind, label: string, verdict: Verdict, reasons: { ruleId: string; message: string }[], location?: Location, resource?: string) => {
    hops.push({ kind, label, verdict, reasons, location, resource });
  };
  const problem = (p: HopProblem) => {
    problems.push(p);
    return { ruleId: p.ruleId, message: p.message };
  };
  const listener = leg.listener;
  const port = listener?.port;
  const protos = protoOf(listener?.protocol);
  const service = e?.service ?? serviceOnly!;
  const clientSgs = client ? computeSgs(g, client) : undefined;
  const clientAddrs = client ? addrsOf(g, client.subnets, client.vpc, client.resource.key) : undefined;
  const portLabel = port !== undefined ? `${protos.map((p) => p.toUpperCase()).join('+')} ${port}` : undefined;

  if (e) {
    // Client and its security group (egress).
    if (client && clientSgs) {
      hop('client', client.resource.address, 'open', [], at(client.resource), client.resource.key);
      const reasons: { ruleId: string; message: string }[] = [];
      const verdicts: Verdict[] = [];
      if (port !== undefined) {
        const eAddrs = addrsOf(g, e.subnets, e.vpc);
        for (const proto of protos) {
          const r = checkGroups(clientSgs, 'egress', { sgs: sgIds(e.sgs), cidrs: eAddrs.cidrs, why: eAddrs.why, symbols: eAddrs.symbols }, proto, port);
          verdicts.push(r.verdict);
          if (r.verdict === 'blocked') {
            const fixSg = fixTarget(clientSgs);
            reasons.push(
              problem({
                ruleId: 'PL001',
                verdict: 'blocked',
                message: `Client security group ${sgLabel(clientSgs)} of ${client.resource.address} has no egress rule to interface endpoint ${e.resource.address} on ${proto.toUpperCase()} ${port}.`,
                location: sgLocation(clientSgs, at(client.resource)),
                related: [{ location: at(e.resource), message: `interface endpoint ${e.resource.address}` }, ...(listener ? [{ location: at(listener.resource), message: `listener ${listener.resource.address} on port ${port}` }] : [])],
                sgFix: fixSg ? { sg: fixSg, direction: 'egress', protocol: proto, port, peerSg: fixTarget(e.sgs), peerCidrs: eAddrs.cidrs, description: `PrivateLink to ${e.resource.address}`, peerName: 'endpoint' } : undefined,
              }),
            );
          } else if (r.verdict === 'unknown') reasons.push({ ruleId: 'PL035', message: `Client egress on ${proto.toUpperCase()} ${port} cannot be decided: ${r.reason}.` });
        }
      } else verdicts.push('unknown');
      hop('clientSg', sgLabel(clientSgs), combine(verdicts), reasons, sgLocation(clientSgs, at(client.resource)), clientSgs.groups[0]?.resource?.key);
    } else {
      hop('client', 'no client in the workspace', 'unknown', [{ ruleId: 'PL035', message: `No compute resource in the workspace is known to use ${e.resource.address} (no SG reference, shared SG or "privatelink-lens: uses" declaration).` }], at(e.resource));
    }

    // Endpoint security group (ingress).
    {
      const reasons: { ruleId: string; message: string }[] = [];
      const verdicts: Verdict[] = [];
      if (port !== undefined && e.type.toLowerCase() === 'interface') {
        for (const proto of protos) {
          const peer: PeerSet = client && clientSgs ? { sgs: sgIds(clientSgs), cidrs: clientAddrs?.cidrs, why: clientAddrs?.why, symbols: clientAddrs?.symbols } : { sgs: undefined, cidrs: undefined, why: 'no client is known' };
          const r = checkGroups(e.sgs, 'ingress', peer, proto, port);
          if (r.verdict === 'blocked' && client && clientSgs) {
            const fixSg = fixTarget(e.sgs);
            reasons.push(
              problem({
                ruleId: e.usesDefaultSg ? 'PL003' : 'PL002',
                verdict: 'blocked',
                message: e.usesDefaultSg
                  ? `Interface endpoint ${e.resource.address} has no security groups, so it gets the VPC default security group, which does not admit client ${client.resource.address} on ${proto.toUpperCase()} ${port}.`
                  : `Endpoint security group ${sgLabel(e.sgs)} does not admit client ${client.resource.address} on ${proto.toUpperCase()} ${port}.`,
                location: e.usesDefaultSg ? at(e.resource) : sgLocation(e.sgs, at(e.resource)),
                related: [
                  { location: sgLocation(clientSgs, at(client.resource)), message: `client security group ${sgLabel(clientSgs)}` },
                  ...(listener ? [{ location: at(listener.resource), message: `listener ${listener.resource.address} on port ${port}` }] : []),
                ],
                sgFix: fixSg && !e.usesDefaultSg ? { sg: fixSg, direction: 'ingress', protocol: proto, port, peerSg: fixTarget(clientSgs), peerCidrs: clientAddrs?.cidrs, description: 'PrivateLink clients', peerName: 'client' } : undefined,
              }),
            );
            verdicts.push('blocked');
          } else if (r.verdict === 'blocked') {
            // No client known: is the port admitted from anywhere at all?
            const any = e.sgs.groups.some((sg) => sg.ingress.some((x) => x.protocol === '-1' || (x.protocol === proto && x.fromPort !== undefined && x.toPort !== undefined && x.fromPort <= port && port <= x.toPort)));
            verdicts.push(any ? 'unknown' : 'blocked');
            reasons.push({ ruleId: any ? 'PL035' : 'PL002', message: any ? `Endpoint ingress on ${proto.toUpperCase()} ${port} depends on who the clients are; none is known.` : `Endpoint security group ${sgLabel(e.sgs)} admits nothing on ${proto.toUpperCase()} ${port}.` });
          } else {
            verdicts.push(r.verdict);
            if (r.verdict === 'unknown') reasons.push({ ruleId: 'PL035', message: `Endpoint ingress on ${proto.toUpperCase()} ${port} cannot be decided: ${r.reason}.` });
          }
        }
      } else verdicts.push(port === undefined ? 'unknown' : 'blocked');
      hop('endpointSg', sgLabel(e.sgs), combine(verdicts), reasons, sgLocation(e.sgs, at(e.resource)), e.sgs.groups[0]?.resource?.key);
    }

    // The endpoint itself.
    {
      const reasons: { ruleId: string; message: string }[] = [];
      let v: Verdict = 'open';
      if (e.type.toLowerCase() !== 'interface') {
        v = 'blocked';
        reasons.push({ ruleId: 'PL005', message: `Endpoint type is ${e.type}; an endpoint service needs an Interface endpoint.` });
      } else if (e.subnets.length === 0) {
        v = 'blocked';
        reasons.push({ ruleId: 'PL006', message: 'The interface endpoint has no subnets.' });
      }
      hop('endpoint', e.resource.address, v, reasons, at(e.resource), e.resource.key);
    }
  }

  // Endpoint service.
  {
    const reasons: { ruleId: string; message: string }[] = [];
    let v: Verdict = 'open';
    if (e && e.resource.provider !== undefined && service.resource.provider !== undefined && e.resource.provider !== service.resource.provider) {
      const known = service.principals.filter((p) => p.value.kind !== 'unknown');
      if (service.principals.length === 0) {
        v = 'unknown';
        reasons.push({ ruleId: 'PL035', message: `The endpoint (provider ${e.resource.provider}) and the service (provider ${service.resource.provider}) may be in different accounts, and the service allows no principals in the config.` });
      } else if (known.length === 0) {
        v = 'unknown';
        reasons.push({ ruleId: 'PL035', message: 'The allowed principals of the service are not known statically.' });
      }
    }
    hop('endpointService', service.resource.address, v, reasons, at(service.resource), service.resource.key);
  }

  if (!leg.lb) {
    hop('nlb', 'not known', 'unknown', [{ ruleId: 'PL035', message: `The service's load balancer cannot be followed: ${leg.lbUnresolved ?? 'none is set'}.` }], at(service.resource));
    return finish(e, client, undefined, hops, problems, portLabel);
  }
  const lb = leg.lb;

  // NLB security group: inbound from the client's private IP when enforcement is on (A4.4), and
  // outbound to the targets (A4.3).
  {
    const reasons: { ruleId: string; message: string }[] = [];
    const verdicts: Verdict[] = [];
    if (lb.noSgs) {
      verdicts.push('open');
    } else if (port !== undefined) {
      if (lb.enforcePrivateLink !== 'off') {
        const consumer: PeerSet | undefined = clientAddrs && (clientAddrs.cidrs || clientAddrs.symbols.size > 0)
          ? { sgs: undefined, cidrs: clientAddrs.cidrs, why: clientAddrs.why, symbols: clientAddrs.symbols, ignoreSgRefs: true }
          : settings.consumerCidrs.length > 0
            ? { sgs: undefined, cidrs: settings.consumerCidrs, ignoreSgRefs: true }
            : undefined;
        for (const proto of protos) {
          if (consumer) {
            const r = checkGroups(lb.sgs, 'ingress', consumer, proto, port);
            verdicts.push(r.verdict);
            if (r.verdict === 'blocked') {
              const sgRefRule = lb.sgs.groups.flatMap((sg) => sg.ingress).find((x) => (x.peer.kind === 'sg' || x.peer.kind === 'self') && (x.protocol === '-1' || (x.protocol === proto && (x.fromPort ?? 0) <= port && port <= (x.toPort ?? -1))));
              const fixSg = fixTarget(lb.sgs);
              reasons.push(
                problem({
                  ruleId: sgRefRule ? 'PL022' : 'PL021',
                  verdict: 'blocked',
                  message: sgRefRule
                    ? `NLB security group ${sgLabel(lb.sgs)} admits ${describeRule(sgRefRule)}, but PrivateLink traffic reaches ${lb.resource.address} from the client's private IP, which a security group reference cannot match.`
                    : `NLB security group ${sgLabel(lb.sgs)} does not admit PrivateLink consumers ${consumer.cidrs?.join(', ') ?? client?.resource.address ?? ''} on ${proto.toUpperCase()} ${port}, and inbound rules apply to PrivateLink traffic (enforcement is on).`,
                  location: sgRefRule ? sgRefRule.origin : sgLocation(lb.sgs, at(lb.resource)),
                  related: [
                    { location: at(lb.resource), message: `load balancer ${lb.resource.address} (PrivateLink inbound enforcement ${lb.enforcePrivateLink})` },
                    ...(client ? [{ location: at(client.resource), message: `client ${client.resource.address}` }] : []),
                  ],
                  sgFix: fixSg ? { sg: fixSg, direction: 'ingress', protocol: proto, port, peerCidrs: consumer.cidrs, description: 'PrivateLink consumers', peerName: 'consumers' } : undefined,
                  replacePeer: sgRefRule && consumer.cidrs ? { rule: sgRefRule, cidrs: consumer.cidrs } : undefined,
                }),
              );
            } else if (r.verdict === 'unknown') reasons.push({ ruleId: 'PL035', message: `NLB ingress on ${proto.toUpperCase()} ${port} cannot be decided: ${r.reason}.` });
          } else {
            // Consumers unknown: open if the group admits the whole internet, blocked if it admits nothing on the port.
            const world = checkGroups(lb.sgs, 'ingress', { sgs: undefined, cidrs: ['0.0.0.0/0'], ignoreSgRefs: true }, proto, port);
            const covering = lb.sgs.groups.flatMap((sg) => sg.ingress).filter((x) => x.protocol === '-1' || x.protocol === undefined || (x.protocol === proto && (x.fromPort === undefined || x.toPort === undefined || (x.fromPort <= port && port <= x.toPort))));
            if (world.verdict === 'open') verdicts.push('open');
            else if (covering.length === 0 && lb.sgs.unresolved.length === 0 && lb.sgs.groups.every((sg) => sg.incomplete.length === 0)) {
              verdicts.push('blocked');
              const fixSg = fixTarget(lb.sgs);
              reasons.push(
                problem({
                  ruleId: 'PL021',
                  verdict: 'blocked',
                  message: `NLB security group ${sgLabel(lb.sgs)} admits nothing on ${proto.toUpperCase()} ${port}, and inbound rules apply to PrivateLink traffic (enforcement is on).`,
                  location: sgLocation(lb.sgs, at(lb.resource)),
                  related: [{ location: at(lb.resource), message: `load balancer ${lb.resource.address}` }, ...(listener ? [{ location: at(listener.resource), message: `listener on port ${port}` }] : [])],
                  sgFix: fixSg ? { sg: fixSg, direction: 'ingress', protocol: proto, port, peerCidrs: undefined, description: 'PrivateLink consumers', peerName: 'consumers' } : undefined,
                }),
              );
            } else {
              verdicts.push('unknown');
              reasons.push({ ruleId: 'PL035', message: `The consumers' addresses are not known (set privatelinkLens.consumerCidrs), so NLB ingress on ${proto.toUpperCase()} ${port} cannot be decided.` });
            }
          }
        }
      } else {
        verdicts.push('open');
        reasons.push({ ruleId: 'PL023', message: 'Inbound rules are not applied to PrivateLink traffic (enforcement off).' });
      }
      // Egress to the target, traffic and health-check ports.
      const t = leg.target;
      if (t && leg.tg) {
        const tSgs = t.compute ? computeSgs(g, t.compute) : undefined;
        const tAddrs: { cidrs?: string[]; why?: string; symbols?: Set<string> } = t.compute
          ? addrsOf(g, t.compute.subnets, t.compute.vpc, t.compute.resource.key)
          : t.ip
            ? { cidrs: [t.ip.includes('/') ? t.ip : `${t.ip}/32`], symbols: new Set() }
            : { why: t.unresolved };
        // An IP target has no security groups; a target that cannot be followed has groups nobody knows.
        const tIds = tSgs ? sgIds(tSgs) : t.ip ? new Set<string>() : undefined;
        for (const { proto: tp, port: q, hc } of targetChecks(leg.tg, listener, t.port)) {
          const r = checkGroups(lb.sgs, 'egress', { sgs: tIds, cidrs: tAddrs.cidrs, why: tAddrs.why, symbols: tAddrs.symbols }, tp, q);
          verdicts.push(r.verdict);
          if (r.verdict === 'blocked') {
            const fixSg = fixTarget(lb.sgs);
            const tName = t.compute?.resource.address ?? t.ip ?? 'the target';
            reasons.push(
              problem({
                ruleId: 'PL024',
                verdict: 'blocked',
                message: `NLB security group ${sgLabel(lb.sgs)} has no egress rule to target ${tName} on ${tp.toUpperCase()} ${q}${hc ? ' (health checks)' : ''}.`,
                location: sgLocation(lb.sgs, at(lb.resource)),
                related: [{ location: at(t.via), message: `target ${tName}` }],
                sgFix: fixSg ? { sg: fixSg, direction: 'egress', protocol: tp, port: q, peerSg: tSgs ? fixTarget(tSgs) : undefined, peerCidrs: tAddrs.cidrs, description: 'NLB to targets', peerName: 'targets' } : undefined,
              }),
            );
          } else if (r.verdict === 'unknown') reasons.push({ ruleId: 'PL035', message: `NLB egress on ${tp.toUpperCase()} ${q} cannot be decided: ${r.reason}.` });
        }
      }
    } else verdicts.push('unknown');
    hop('nlbSg', lb.noSgs ? '(no security groups)' : sgLabel(lb.sgs), combine(verdicts), reasons, lb.noSgs ? at(lb.resource) : sgLocation(lb.sgs, at(lb.resource)), lb.sgs.groups[0]?.resource?.key);
  }

  // The NLB.
  hop(
    'nlb',
    lb.resource.address,
    lb.type === 'network' ? 'open' : 'blocked',
    lb.type === 'network' ? [] : [{ ruleId: 'PL016', message: `The load balancer type is ${lb.type}; an endpoint service needs a Network Load Balancer.` }],
    at(lb.resource),
    lb.resource.key,
  );

  if (!listener) {
    hop('listener', 'none', 'blocked', [{ ruleId: 'PL027', message: `${lb.resource.address} has no listener in the workspace.` }], at(lb.resource));
    return finish(e, client, lb, hops, problems, portLabel);
  }
  hop('listener', `${listener.resource.address} (${listener.protocol ?? '?'} ${listener.port ?? '?'})`, leg.tg ? 'open' : 'blocked', leg.tg ? [] : [{ ruleId: 'PL027', message: 'The listener does not forward to a target group in the workspace.' }], at(listener.resource), listener.resource.key);
  if (!leg.tg) return finish(e, client, lb, hops, problems, portLabel);
  const tg = leg.tg;
  hop('targetGroup', `${tg.resource.address} (${tg.protocol ?? '?'} ${tg.port ?? '?'})`, 'open', [], at(tg.resource), tg.resource.key);

  const t = leg.target;
  if (!t) {
    hop('target', 'no targets in the workspace', 'unknown', [{ ruleId: 'PL035', message: `No target is registered with ${tg.resource.address} in the workspace.` }], at(tg.resource));
    return finish(e, client, lb, hops, problems, portLabel);
  }
  // Target security group: PrivateLink traffic arrives from the NLB's private IPs (A5.2), or matches an
  // NLB SG reference (A4.8); on the traffic port and the health-check port.
  if (t.compute) {
    const tSgs = computeSgs(g, t.compute);
    const lbAddrs = addrsOf(g, lb.subnets, tg.vpc);
    const lbAddrsOrVpc = lbAddrs.cidrs ? lbAddrs : { ...vpcCidrs(g, tg.vpc), symbols: lbAddrs.symbols };
    const peer: PeerSet = { sgs: lb.noSgs ? new Set() : sgIds(lb.sgs), cidrs: lbAddrsOrVpc.cidrs, why: lbAddrsOrVpc.why, symbols: lbAddrsOrVpc.symbols };
    const reasons: { ruleId: string; message: string }[] = [];
    const verdicts: Verdict[] = [];
    const checks = targetChecks(tg, listener, t.port);
    for (const { proto: tp, port: q, hc } of checks) {
      const r = checkGroups(tSgs, 'ingress', peer, tp, q);
      verdicts.push(r.verdict);
      if (r.verdict === 'blocked') {
        const fixSg = fixTarget(tSgs);
        reasons.push(
          problem({
            ruleId: 'PL025',
            verdict: 'blocked',
            message: `Target security group ${sgLabel(tSgs)} does not admit the NLB ${lb.resource.address} on ${tp.toUpperCase()} ${q}${hc ? ' (health checks)' : ''}; PrivateLink traffic arrives from the NLB's private IPs.`,
            location: sgLocation(tSgs, at(t.compute.resource)),
            related: [{ location: at(lb.resource), message: `load balancer ${lb.resource.address}` }, { location: at(tg.resource), message: `target group ${tg.resource.address}` }, { location: at(t.compute.resource), message: `target ${t.compute.resource.address}` }],
            sgFix: fixSg ? { sg: fixSg, direction: 'ingress', protocol: tp, port: q, peerSg: lb.noSgs ? undefined : fixTarget(lb.sgs), peerCidrs: lbAddrsOrVpc.cidrs, description: `From NLB ${lb.resource.address}`, peerName: 'nlb' } : undefined,
          }),
        );
      } else if (r.verdict === 'unknown') reasons.push({ ruleId: 'PL035', message: `Target ingress on ${tp.toUpperCase()} ${q} cannot be decided: ${r.reason}.` });
    }
    if (checks.length === 0) verdicts.push('unknown');
    hop('targetSg', sgLabel(tSgs), combine(verdicts), reasons, sgLocation(tSgs, at(t.compute.resource)), tSgs.groups[0]?.resource?.key);
    hop('target', t.compute.resource.address, 'open', [], at(t.compute.resource), t.compute.resource.key);
  } else if (t.ip) {
    hop('target', `IP ${t.ip}`, 'open', [], at(t.via), t.via.key);
  } else {
    hop('target', 'not known', 'unknown', [{ ruleId: 'PL035', message: `The target cannot be followed: ${t.unresolved}.` }], at(t.via), t.via.key);
  }
  return finish(e, client, lb, hops, problems, portLabel);
}

function finish(e: Endpoint | undefined, client: Compute | undefined, lb: LoadBalancer | undefined, hops: Hop[], problems: HopProblem[], port: string | undefined): EvaluatedPath {
  const id = hops.map((h) => h.resource ?? h.kind).join('>') + (port ? `@${port}` : '');
  return { id, verdict: combine(hops.map((h) => h.verdict)), port, hops, problems, endpoint: e, client, lb };
}
