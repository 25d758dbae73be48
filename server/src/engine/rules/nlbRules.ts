import type { Fix } from '../model/finding';
import type { Resource } from '../model/resource';
import { clientsOf } from '../graph/paths';
import { subnetCidrs, vpcCidrs, type LoadBalancer } from '../graph/build';
import { removeAttributeFix } from './endpointServiceRules';
import { isDeclaredInFile, setAttributeFix, tfRef } from './fixes';
import { servicesByLb } from './serviceRules';
import { at, prop, valueLoc, type Rule, type RuleContext } from './types';

/** PL020: NLB security groups can only be set when the NLB is created (A4.2). */
export const PL020: Rule = {
  id: 'PL020',
  check(ctx, emit) {
    const byLb = servicesByLb(ctx.graph.services);
    for (const lb of ctx.graph.lbs.values()) {
      const services = byLb.get(lb.resource.key) ?? [];
      if (lb.type !== 'network' || !lb.noSgs || services.length === 0) continue;
      const r = lb.resource;
      const optOut = r.annotations.some((a) => a.kind === 'ignore' && a.value === 'PL020');
      emit({
        severity: optOut ? 'info' : 'warning',
        message: `Network Load Balancer ${r.address} behind endpoint service ${services[0].address} has no security groups; they can only be added by replacing the load balancer${r.lang === 'terraform' ? ' (Terraform plans a replacement)' : ''}, which breaks the service association.`,
        location: at(r),
        related: [{ location: at(services[0]), message: `endpoint service ${services[0].address}` }],
        fixes: [nlbSgFix(ctx, lb, services)],
      });
    }
  },
};

/** PL023: what the PrivateLink inbound enforcement setting does here. */
export const PL023: Rule = {
  id: 'PL023',
  check(ctx, emit) {
    for (const lb of ctx.graph.lbs.values()) {
      if (lb.type !== 'network') continue;
      const r = lb.resource;
      const name = prop(r, 'enforce_security_group_inbound_rules_on_private_link_traffic', 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic');
      if (lb.noSgs && lb.enforceExplicit) {
        emit({
          severity: 'warning',
          unnecessary: true,
          message: `${name} has no effect on ${r.address}, which has no security groups.`,
          location: valueLoc(r, name),
          fixes: [removeAttributeFix(r, ctx.textOf, name, `Remove ${name}, which has no effect without security groups`)],
        });
      } else if (!lb.noSgs && lb.enforcePrivateLink === 'off') {
        emit({
          message: `Inbound rules of ${r.address}'s security groups are not applied to PrivateLink traffic; access is limited only by allowed principals, acceptance and the consumers' endpoint security groups.`,
          location: valueLoc(r, name),
        });
      }
    }
  },
};

interface SgLine {
  direction: 'ingress' | 'egress';
  proto: string;
  port: number;
  /** A reference to a group in the same module / template, or CIDRs. */
  sg?: Resource;
  cidrs?: string[];
  description: string;
}

function protosOf(protocol: string | undefined): string[] {
  return protocol === 'UDP' ? ['udp'] : protocol === 'TCP_UDP' ? ['tcp', 'udp'] : ['tcp'];
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * PL020 fix: a security group for the NLB, created with the rules the path needs so the fix does not block
 * what was open: ingress on the listener ports from the known consumers (clients of the endpoints to the
 * service, else privatelinkLens.consumerCidrs), egress to every target on its traffic and health-check
 * ports. Not offered when any of that is not known, or for QUIC listeners (no SGs with QUIC, PL027).
 */
function nlbSgFix(ctx: RuleContext, lb: LoadBalancer, services: Resource[]): Fix | undefined {
  const g = ctx.graph;
  const r = lb.resource;
  const text = ctx.textOf(r.file);
  const tf = r.lang === 'terraform';
  if (text === undefined || !isDeclaredInFile(r, text) || (!tf && r.file.toLowerCase().endsWith('.json'))) return undefined;
  const dir = (f: string) => f.slice(0, f.lastIndexOf('/'));
  const near = (x: Resource) => (tf ? x.lang === 'terraform' && x.root === r.root && (x.modulePath ?? '') === (r.modulePath ?? '') && dir(x.file) === dir(r.file) : x.lang === 'cloudformation' && x.file === r.file);
  // The provider VPC, from the NLB's subnets, written as a reference to a VPC declared next to it.
  const vpcs = uniq(lb.subnets.map((t) => (t.kind === 'resource' ? g.subnets.get(t.resource.key) : undefined)).map((s) => (s && s.vpc.kind === 'resource' ? s.vpc.resource : undefined)));
  const vpc = vpcs.length === 1 ? vpcs[0] : undefined;
  if (!vpc || !near(vpc)) return undefined;
  if (lb.listeners.some((l) => l.protocol === 'QUIC' || l.protocol === 'TCP_QUIC' || l.port === undefined)) return undefined;
  const lines: SgLine[] = [];
  // Consumers: the clients of every endpoint to the service (their subnets, else their VPC), or the setting.
  if (lb.listeners.length > 0 && lb.enforcePrivateLink !== 'off') {
    const cidrs: string[] = [];
    const endpoints = g.endpoints.filter((e) => e.service && services.includes(e.service.resource));
    if (endpoints.length === 0 || endpoints.some((e) => clientsOf(g, e).length === 0)) cidrs.push(...ctx.settings.consumerCidrs);
    for (const e of endpoints) {
      for (const c of clientsOf(g, e)) {
        const a = subnetCidrs(g, c.subnets).cidrs ?? vpcCidrs(g, c.vpc).cidrs;
        if (!a) return undefined;
        cidrs.push(...a);
      }
    }
    if (cidrs.length === 0 || cidrs.some((c) => c === '0.0.0.0/0' || c === '::/0')) return undefined;
    for (const l of lb.listeners) for (const proto of protosOf(l.protocol)) lines.push({ direction: 'ingress', proto, port: l.port!, cidrs: uniq(cidrs), description: 'PrivateLink consumers' });
  }
  // Targets: traffic port and health-check port, to the target's own group when it is declared next to the NLB.
  for (const l of lb.listeners) {
    for (const tt of l.targetGroups) {
      const tg = tt.kind === 'resource' ? g.targetGroups.get(tt.resource.key) : undefined;
      if (!tg) return undefined;
      for (const t of tg.targets) {
        if (t.unresolved || (!t.compute && !t.ip)) return undefined;
        const port = t.port ?? tg.port;
        const checks: { proto: string; port: number; hc: boolean }[] = [];
        if (port !== undefined) for (const proto of protosOf(tg.protocol ?? l.protocol)) checks.push({ proto, port, hc: false });
        const hc = tg.healthCheckPort ?? port;
        if (hc !== undefined && !checks.some((c) => c.proto === 'tcp' && c.port === hc)) checks.push({ proto: 'tcp', port: hc, hc: true });
        if (checks.length === 0) return undefined;
        const own = t.compute?.sgs.groups.find((s) => s.resource && !s.isDefault && near(s.resource))?.resource;
        let cidrs: string[] | undefined;
        if (!own) {
          cidrs = t.ip ? [t.ip.includes('/') ? t.ip : `${t.ip}/32`] : (subnetCidrs(g, t.compute!.subnets).cidrs ?? vpcCidrs(g, t.compute!.vpc).cidrs);
          if (!cidrs) return undefined;
        }
        for (const c of checks) lines.push({ direction: 'egress', proto: c.proto, port: c.port, sg: own, cidrs, description: c.hc ? 'NLB health checks' : 'NLB to targets' });
      }
    }
  }
  // One line per distinct rule.
  const seen = new Set<string>();
  const rules = lines.filter((x) => {
    const k = `${x.direction}|${x.proto}|${x.port}|${x.sg?.key ?? ''}|${x.cidrs?.join(',') ?? ''}`;
    return !seen.has(k) && !!seen.add(k);
  });
  // A name no resource of the same module or template already has.
  const taken = new Set(g.index.all.filter((x) => x.root === r.root && (x.modulePath ?? '') === (r.modulePath ?? '')).map((x) => (tf ? x.address.replace(/\[.*$/, '') : x.address)));
  const base = tf ? r.address.replace(/\[.*?\]/g, '').replace(/^.*\./, '').replace(/[^A-Za-z0-9_]/g, '_') : r.address.replace(/[^A-Za-z0-9]/g, '');
  const prefix = r.modulePath ? `${r.modulePath}.` : '';
  let sgName = tf ? `${base}_sg` : `${base}Sg`;
  for (let i = 2; taken.has(tf ? `${prefix}aws_security_group.${sgName}` : sgName); i++) sgName = tf ? `${base}_sg_${i}` : `${base}Sg${i}`;
  const title = `Create a security group for ${r.address} (replaces the load balancer)`;
  const lineStart = text.lastIndexOf('\n', r.span.start - 1) + 1;
  const ind = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  if (tf) {
    const set = setAttributeFix(r, ctx.textOf, 'security_groups', `[aws_security_group.${sgName}.id]`, '', '');
    if (!set) return undefined;
    let end = text.indexOf('\n', r.span.end - 1);
    if (end < 0) end = text.length;
    if (end > 0 && text[end - 1] === '\r') end--;
    const body: string[] = [];
    for (const x of rules) {
      const peers: string[] = [];
      if (x.sg) peers.push(`security_groups  = [${tfRef(x.sg, 'id')}]`);
      const v4 = (x.cidrs ?? []).filter((c) => !c.includes(':'));
      const v6 = (x.cidrs ?? []).filter((c) => c.includes(':'));
      if (v4.length > 0) peers.push(`cidr_blocks      = [${v4.map((c) => JSON.stringify(c)).join(', ')}]`);
      if (v6.length > 0) peers.push(`ipv6_cidr_blocks = [${v6.map((c) => JSON.stringify(c)).join(', ')}]`);
      body.push('', `${ind}  ${x.direction} {`, `${ind}    description      = ${JSON.stringify(x.description)}`, `${ind}    from_port        = ${x.port}`, `${ind}    to_port          = ${x.port}`, `${ind}    protocol         = ${JSON.stringify(x.proto)}`, ...peers.map((p) => `${ind}    ${p}`), `${ind}  }`);
    }
    const sg = ['', `${ind}resource "aws_security_group" "${sgName}" {`, `${ind}  name_prefix = "${base}-"`, `${ind}  description = "NLB ${base}"`, `${ind}  vpc_id      = ${tfRef(vpc, 'id')}`, ...body, `${ind}}`].join(nl);
    return { title, edits: [...set.edits, { file: r.file, span: { start: end, end }, newText: nl + sg }], preferred: false };
  }
  const set = setAttributeFix(r, ctx.textOf, 'SecurityGroups', '', `[!GetAtt ${sgName}.GroupId]`, '');
  if (!set) return undefined;
  let end = r.span.end;
  while (end > r.span.start && /\s/.test(text[end - 1])) end--;
  const le = text.indexOf('\n', end);
  let pos = le < 0 ? text.length : le;
  if (pos > 0 && text[pos - 1] === '\r') pos--;
  const unit = '  ';
  const p3 = `${ind}${unit}${unit}`;
  const items = (direction: 'ingress' | 'egress') =>
    rules
      .filter((x) => x.direction === direction)
      .flatMap((x) => {
        const peers = x.sg
          ? [`${direction === 'ingress' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId'}: !GetAtt ${x.sg.address}.GroupId`]
          : x.cidrs!.map((c) => `${c.includes(':') ? 'CidrIpv6' : 'CidrIp'}: ${c}`);
        return peers.flatMap((peer) => [`${p3}  - IpProtocol: ${x.proto}`, `${p3}    FromPort: ${x.port}`, `${p3}    ToPort: ${x.port}`, `${p3}    ${peer}`, `${p3}    Description: ${x.description}`]);
      });
  const ingress = items('ingress');
  const egress = items('egress');
  const block = [
    '',
    `${ind}${sgName}:`,
    `${ind}${unit}Type: AWS::EC2::SecurityGroup`,
    `${ind}${unit}Properties:`,
    `${p3}GroupDescription: NLB ${r.address}`,
    `${p3}VpcId: !Ref ${vpc.address}`,
    ...(ingress.length > 0 ? [`${p3}SecurityGroupIngress:`, ...ingress] : []),
    ...(egress.length > 0 ? [`${p3}SecurityGroupEgress:`, ...egress] : []),
  ].join(nl);
  return { title, edits: [...set.edits, { file: r.file, span: { start: pos, end: pos }, newText: block }], preferred: false };
}
