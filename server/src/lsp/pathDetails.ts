/**
 * What the path view needs beyond the engine's hops, worked out in the LSP layer from the same snapshot:
 * the finding each hop reason is reported as (with the titles of its fixes, so the view can offer them),
 * where the hop runs (account-like scope and VPC, for grouping), and the ports it is checked on. The
 * engine's `Hop` stays as it is; everything here is read from `result.resources` and `result.findings`.
 */
import type { Finding, Hop, PrivateLinkPath, Resource, Span } from '../engine';
import type { HopFindingInfo, PathInfo } from '../shared/protocol';
import { toLspLocation, toPathInfo, toWorkspaceEdit } from './convert';
import type { Session } from './session';
import type { Snapshot } from './snapshot';

type Value = Resource['attrs'][string];

const VPC_TYPES = new Set(['aws_vpc', 'AWS::EC2::VPC']);
const SUBNET_TYPES = new Set(['aws_subnet', 'AWS::EC2::Subnet']);
/** Hops checked on the listener's port; the target side is checked on the target group's. */
const LISTENER_SIDE = new Set<Hop['kind']>(['client', 'clientSg', 'endpointSg', 'endpoint', 'endpointService', 'nlb', 'listener']);
const TARGET_SIDE = new Set<Hop['kind']>(['targetGroup', 'targetSg', 'target']);
/** How far `vpcOf` follows references (listener -> load balancer -> subnet -> VPC is three). */
const MAX_DEPTH = 4;

export function describePaths(session: Session, snap: Snapshot, paths: readonly PrivateLinkPath[]): PathInfo[] {
  const details = new PathDetails(session, snap);
  return paths.map((p) => details.describe(p));
}

class PathDetails {
  private readonly byMessage = new Map<string, Finding>();
  private readonly groups = new Map<string, string | undefined>();
  private readonly vpcs = new Map<string, string | undefined>();
  /** A finding is on every path through its hop; its fixes are converted once. */
  private readonly infos = new Map<Finding, HopFindingInfo>();

  constructor(
    private readonly session: Session,
    private readonly snap: Snapshot,
  ) {
    // Path rules report a blocked check with the very message of the hop reason, so most reasons are found
    // by rule and message. The snapshot's findings are after the per-folder rule settings: a rule turned
    // off has no finding and so offers no fix.
    for (const f of snap.result.findings) {
      const key = messageKey(f.ruleId, f.message);
      if (!this.byMessage.has(key)) this.byMessage.set(key, f);
    }
  }

  describe(path: PrivateLinkPath): PathInfo {
    const info = toPathInfo(this.snap, path);
    const targetPorts = this.targetGroupPorts(path);
    path.hops.forEach((hop, i) => {
      const out = info.hops[i];
      if (hop.resource !== undefined) out.resource = hop.resource;
      const r = this.resourceOf(hop);
      if (r) {
        const group = this.groupOf(r);
        if (group) out.group = group;
        const vpc = this.vpcOf(r);
        if (vpc) out.vpc = vpc;
      }
      const ports = portsOf(hop.kind, path.port, targetPorts);
      if (ports) out.ports = ports;
      hop.reasons.forEach((reason, j) => {
        const f = this.findingFor(hop, r, reason.ruleId, reason.message);
        if (f) out.reasons[j].finding = this.findingInfo(f);
      });
    });
    return info;
  }

  /** The resource behind a hop; hops without one (an SG AWS attaches, "no listener") stand at a resource's name. */
  private resourceOf(hop: Hop): Resource | undefined {
    if (hop.resource !== undefined) {
      const r = this.snap.resource(hop.resource);
      if (r) return r;
    }
    return hop.location ? this.snap.resourceAt(hop.location.file, hop.location.span.start) : undefined;
  }

  private findingFor(hop: Hop, r: Resource | undefined, ruleId: string, message: string): Finding | undefined {
    const exact = this.byMessage.get(messageKey(ruleId, message));
    if (exact) return exact;
    // Rules about the resource itself (PL005 endpoint type, PL016 load balancer type, PL006 no subnets)
    // word their finding differently from the hop reason; the finding sits inside the resource.
    if (!r || hop.resource === undefined) return undefined;
    return this.snap.findings(r.file).find((f) => f.ruleId === ruleId && within(f.location.span, r.span));
  }

  private findingInfo(f: Finding): HopFindingInfo {
    const known = this.infos.get(f);
    if (known) return known;
    const options = this.session.editOptions(this.snap);
    // Only fixes the client can apply (one that creates a file needs a client that creates files).
    const fixes = f.fixes
      .filter((fix) => toWorkspaceEdit(this.snap, fix.edits, options) !== undefined)
      .map((fix) => (fix.preferred ? { title: fix.title, preferred: true } : { title: fix.title }));
    const info = { location: toLspLocation(this.snap, f.location), message: f.message, fixes };
    this.infos.set(f, info);
    return info;
  }

  /**
   * Terraform: the root module and the provider configuration, which is what stands for an account and
   * Region in the code. CloudFormation: the template, since a stack's account is not in it.
   */
  private groupOf(r: Resource): string | undefined {
    const key = r.lang === 'terraform' ? `tf\0${r.root}\0${r.provider ?? ''}` : `cfn\0${r.file}`;
    if (this.groups.has(key)) return this.groups.get(key);
    const group = r.lang === 'terraform' ? `${this.displayPath(r.root)} · ${r.provider ?? 'aws'}` : `stack ${this.displayPath(r.file)}`;
    this.groups.set(key, group);
    return group;
  }

  /** A path as the user knows it: from the workspace folder's name down. */
  private displayPath(path: string): string {
    const folder = this.session.folders.folderOf(path) ?? this.session.folders.list().find((f) => f.path === path);
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1) || p;
    if (!folder) return base(path);
    if (folder.path === path) return base(folder.path);
    return `${base(folder.path)}/${path.slice(folder.path.length + 1)}`;
  }

  private vpcOf(r: Resource, depth = 0): string | undefined {
    if (this.vpcs.has(r.key)) return this.vpcs.get(r.key);
    // Marked before following references, so a cycle of references ends here.
    this.vpcs.set(r.key, undefined);
    const vpc = this.findVpc(r, depth);
    this.vpcs.set(r.key, vpc);
    return vpc;
  }

  private findVpc(r: Resource, depth: number): string | undefined {
    if (VPC_TYPES.has(r.type)) return r.address;
    const direct = r.attrs.vpc_id ?? r.attrs.VpcId;
    if (direct) return this.vpcName(direct);
    if (depth >= MAX_DEPTH) return undefined;
    // Compute, endpoints and load balancers are in the VPC of their subnets, wherever the subnets are set
    // (`subnet_id`, `subnets`, `subnet_mapping[].subnet_id`, `NetworkInterfaces[].SubnetId`, ...).
    for (const target of refsUnder(r.attrs, (name) => /subnet/i.test(name))) {
      const subnet = this.snap.resource(target);
      if (subnet && SUBNET_TYPES.has(subnet.type)) {
        const vpc = this.vpcOf(subnet, depth + 1);
        if (vpc) return vpc;
      }
    }
    // A listener is where its load balancer is; an IP target's attachment where its target group is.
    for (const name of ['load_balancer_arn', 'LoadBalancerArn', 'target_group_arn', 'TargetGroupArn']) {
      const v = r.attrs[name];
      const target = v?.kind === 'ref' ? this.snap.resource(v.target) : undefined;
      const vpc = target ? this.vpcOf(target, depth + 1) : undefined;
      if (vpc) return vpc;
    }
    return undefined;
  }

  private vpcName(v: Value): string | undefined {
    if (v.kind === 'ref') return this.snap.resource(v.target)?.address;
    if (v.kind === 'string' && v.value.trim() !== '') return v.value;
    return undefined;
  }

  /** `TCP 8443`, with the health-check port when it differs, from the path's target group. */
  private targetGroupPorts(path: PrivateLinkPath): string | undefined {
    const hop = path.hops.find((h) => h.kind === 'targetGroup');
    const tg = hop?.resource !== undefined ? this.snap.resource(hop.resource) : undefined;
    if (!tg) return undefined;
    const port = numberOf(tg.attrs.port ?? tg.attrs.Port);
    if (port === undefined) return undefined;
    const protocol = (stringOf(tg.attrs.protocol ?? tg.attrs.Protocol) ?? 'TCP').toUpperCase();
    const healthCheck = tg.attrs.health_check;
    const hcValue = healthCheck?.kind === 'list' && healthCheck.items[0]?.kind === 'object' ? healthCheck.items[0].entries.port : tg.attrs.HealthCheckPort;
    const hc = numberOf(hcValue);
    return hc !== undefined && hc !== port ? `${protocol} ${port}, health checks TCP ${hc}` : `${protocol} ${port}`;
  }
}

function portsOf(kind: Hop['kind'], listener: string | undefined, target: string | undefined): string | undefined {
  if (LISTENER_SIDE.has(kind)) return listener;
  if (TARGET_SIDE.has(kind)) return target;
  // The load balancer's groups are checked both ways: in from the consumers, out to the targets.
  if (kind === 'nlbSg') return listener && target ? `in ${listener}, out ${target}` : listener;
  return undefined;
}

function messageKey(ruleId: string, message: string): string {
  return `${ruleId}\0${message}`;
}

function within(inner: Span, outer: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function numberOf(v: Value | undefined): number | undefined {
  if (v?.kind === 'number') return v.value;
  if (v?.kind === 'string' && /^\d+$/.test(v.value.trim())) return Number(v.value);
  return undefined;
}

function stringOf(v: Value | undefined): string | undefined {
  return v?.kind === 'string' ? v.value : undefined;
}

/** Resource keys referenced anywhere under attributes (or nested block fields) whose name matches. */
function refsUnder(attrs: Record<string, Value>, wanted: (name: string) => boolean, depth = 0): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(attrs)) {
    if (wanted(name)) collectRefs(v, out, 0);
    else if (depth < 3) {
      for (const item of v.kind === 'list' ? v.items : [v]) {
        if (item.kind === 'object') out.push(...refsUnder(item.entries, wanted, depth + 1));
      }
    }
  }
  return out;
}

function collectRefs(v: Value, out: string[], depth: number): void {
  if (depth > 4) return;
  if (v.kind === 'ref') out.push(v.target);
  else if (v.kind === 'list') for (const item of v.items) collectRefs(item, out, depth + 1);
  else if (v.kind === 'object') for (const item of Object.values(v.entries)) collectRefs(item, out, depth + 1);
}
