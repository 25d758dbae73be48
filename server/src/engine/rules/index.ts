import type { Finding, Fix, Severity } from '../model/finding';
import type { Location } from '../model/span';
import type { Resource } from '../model/resource';
import type { Settings } from '../settings';
import type { Graph, Endpoint, LoadBalancer } from '../graph/build';
import type { EvaluatedPath } from '../graph/paths';
import { asString, firstUnknown } from '../model/value';
import { describeRule } from '../graph/securityGroups';
import { RULES_BY_ID } from './catalog';
import { setAttributeFix, sgRuleFix, isDeclaredInFile, type TextOf } from './fixes';

export interface RuleContext {
  graph: Graph;
  paths: EvaluatedPath[];
  settings: Settings;
  textOf: TextOf;
}

function at(r: Resource): Location {
  return { file: r.file, span: r.nameSpan };
}

function attrLoc(r: Resource, name: string): Location {
  const s = r.attrSpans[name];
  return s ? { file: r.file, span: s } : at(r);
}

/** Where a setting's value was written: the caller's module input or a variable default, else the attribute. */
function valueLoc(r: Resource, name: string): Location {
  return r.attrs[name]?.origin ?? attrLoc(r, name);
}

type Emit = (f: Omit<Finding, 'severity' | 'related' | 'fixes'> & { severity?: Severity; related?: Finding['related']; fixes?: (Fix | undefined)[] }) => void;

const VPCE_SVC = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+$/;
const PRINCIPAL = /^arn:aws(-[a-z-]+)?:iam::\d{12}:(root|role\/[^/]+|user\/[^/]+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

/** Runs every implemented rule over the graph and the evaluated paths. */
export function runRules(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const emit: Emit = (f) => {
    const meta = RULES_BY_ID.get(f.ruleId);
    out.push({
      ruleId: f.ruleId,
      severity: f.severity ?? meta?.severity ?? 'info',
      message: f.message,
      location: f.location,
      related: f.related ?? [],
      fixes: (f.fixes ?? []).filter((x): x is Fix => !!x),
      unnecessary: f.unnecessary,
    });
  };
  const { graph: g, textOf } = ctx;

  // Hop problems found while evaluating paths: PL001, PL002, PL003, PL021, PL022, PL024, PL025.
  for (const p of ctx.paths) {
    for (const prob of p.problems) {
      const fixes: (Fix | undefined)[] = [];
      if (prob.sgFix) fixes.push(sgRuleFix(prob.sgFix, textOf));
      if ((prob.ruleId === 'PL021' || prob.ruleId === 'PL022') && p.lb) fixes.push(enforcementOffFix(p.lb, textOf));
      if (prob.ruleId === 'PL003' && p.endpoint) fixes.push(endpointSgFix(p.endpoint, textOf));
      emit({ ruleId: prob.ruleId, severity: prob.ruleId === 'PL003' ? 'error' : undefined, message: prob.message, location: prob.location, related: prob.related, fixes });
    }
  }

  for (const e of g.endpoints) endpointRules(e, ctx, emit);

  const lbServices = new Map<string, Resource[]>();
  for (const s of g.services) {
    const r = s.resource;
    const tf = r.lang === 'terraform';
    // PL013 / PL014: who may connect, and whether connections need approval.
    const autoAccept = s.acceptanceRequired === false || (!tf && s.acceptanceRequired === undefined && !r.attrs.AcceptanceRequired);
    for (const p of s.principals) {
      const v = asString(p.value);
      if (v === '*') {
        emit({
          ruleId: 'PL013',
          severity: autoAccept ? 'error' : 'warning',
          message: `Endpoint service ${r.address} allows every AWS principal ("*")${autoAccept ? ' and accepts connections automatically, so its load balancer is effectively public' : ''}.`,
          location: p.value.origin ?? at(p.declaredBy),
        });
      } else if (v !== undefined && !PRINCIPAL.test(v) && !SERVICE_PRINCIPAL.test(v)) {
        emit({ ruleId: 'PL015', message: `Allowed principal "${v}" of ${r.address} is not an IAM root, role or user ARN without a path (arn:aws:iam::<account>:root).`, location: p.value.origin ?? at(p.declaredBy) });
      }
    }
    if (autoAccept) {
      const loc = r.attrSpans[tf ? 'acceptance_required' : 'AcceptanceRequired'] ? attrLoc(r, tf ? 'acceptance_required' : 'AcceptanceRequired') : at(r);
      emit({
        ruleId: 'PL014',
        message: `Endpoint service ${r.address} accepts connection requests automatically${tf ? '' : ' (AcceptanceRequired is not true)'}.`,
        location: loc,
        fixes: [setAttributeFix(r, textOf, tf ? 'acceptance_required' : 'AcceptanceRequired', 'true', 'true', 'Require acceptance of endpoint connections')],
      });
    }
    // PL016: the service needs a network load balancer.
    const gwlb = tf ? r.attrs.gateway_load_balancer_arns : r.attrs.GatewayLoadBalancerArns;
    if (s.lbs.length === 0 && !(gwlb && gwlb.kind !== 'null')) {
      emit({ ruleId: 'PL016', message: `Endpoint service ${r.address} has no network load balancer.`, location: at(r) });
    }
    for (const t of s.lbs) {
      if (t.kind !== 'resource') continue;
      const lb = g.lbs.get(t.resource.key);
      if (!lb) continue;
      (lbServices.get(lb.resource.key) ?? lbServices.set(lb.resource.key, []).get(lb.resource.key)!).push(r);
      if (lb.type !== 'network') {
        emit({
          ruleId: 'PL016',
          message: `Load balancer ${lb.resource.address} behind endpoint service ${r.address} is of type ${lb.type}${lb.resource.attrSpans[tf ? 'load_balancer_type' : 'Type'] ? '' : ' (the default)'}; an endpoint service needs a Network Load Balancer.`,
          location: attrLoc(lb.resource, lb.resource.lang === 'terraform' ? 'load_balancer_type' : 'Type'),
          related: [{ location: at(r), message: `endpoint service ${r.address}` }],
          fixes: [setAttributeFix(lb.resource, textOf, lb.resource.lang === 'terraform' ? 'load_balancer_type' : 'Type', '"network"', 'network', 'Make it a Network Load Balancer (replaces the load balancer)')],
        });
      }
    }
  }
  for (const lb of g.lbs.values()) {
    const services = lbServices.get(lb.resource.key) ?? [];
    if (services.length > 1) {
      emit({
        ruleId: 'PL017',
        message: `Network Load Balancer ${lb.resource.address} is attached to ${services.length} endpoint services; it can belong to only one.`,
        location: at(lb.resource),
        related: services.map((s) => ({ location: at(s), message: `endpoint service ${s.address}` })),
      });
    }
    if (lb.type === 'network') nlbRules(lb, services, ctx, emit);
  }

  // PL031 on groups of the path: ingress from anywhere.
  const seen = new Set<string>();
  for (const p of ctx.paths) {
    for (const h of p.hops) {
      if ((h.kind !== 'endpointSg' && h.kind !== 'nlbSg' && h.kind !== 'targetSg') || !h.resource || seen.has(h.resource)) continue;
      seen.add(h.resource);
      const sg = g.sgs.get(h.resource);
      if (!sg) continue;
      if (h.kind === 'nlbSg' && p.lb && p.lb.enforcePrivateLink === 'off') continue;
      for (const rule of sg.ingress) {
        if (rule.peer.kind !== 'cidr' || (rule.peer.cidr !== '0.0.0.0/0' && rule.peer.cidr !== '::/0')) continue;
        const what = h.kind === 'endpointSg' ? 'endpoint' : h.kind === 'nlbSg' ? 'NLB' : 'target';
        emit({
          ruleId: 'PL031',
          message: `The ${what} security group ${sg.resource?.address ?? ''} on the PrivateLink path admits ${describeRule(rule)}; allow the consumer or VPC CIDRs instead.`,
          location: rule.origin,
        });
      }
    }
  }

  // PL035: a path hop could not be decided, or a link could not be followed.
  for (const p of ctx.paths) {
    for (const h of p.hops) {
      for (const reason of h.reasons) {
        if (reason.ruleId === 'PL035' && h.location) emit({ ruleId: 'PL035', message: reason.message, location: h.location });
      }
    }
  }
  return out;
}

function endpointRules(e: Endpoint, ctx: RuleContext, emit: Emit): void {
  const r = e.resource;
  const tf = r.lang === 'terraform';
  const name = asString(e.serviceName);
  const custom = e.service !== undefined || (name !== undefined && VPCE_SVC.test(name));
  const isInterface = e.type.toLowerCase() === 'interface';
  if (custom && !isInterface && e.type.toLowerCase() !== 'gatewayloadbalancer') {
    emit({
      ruleId: 'PL005',
      message: `Endpoint ${r.address} to an endpoint service is of type ${e.type}${r.attrSpans[tf ? 'vpc_endpoint_type' : 'VpcEndpointType'] ? '' : ' (the default)'}; it must be Interface.`,
      location: attrLoc(r, tf ? 'vpc_endpoint_type' : 'VpcEndpointType'),
      fixes: [setAttributeFix(r, ctx.textOf, tf ? 'vpc_endpoint_type' : 'VpcEndpointType', '"Interface"', 'Interface', 'Make it an Interface endpoint (replaces the endpoint)')],
    });
  }
  if (!isInterface) return;
  const subnetsVal = tf ? r.attrs.subnet_ids : r.attrs.SubnetIds;
  if (custom && e.subnets.length === 0 && !(subnetsVal && firstUnknown(subnetsVal)) && subnetsVal?.kind !== 'unknown') {
    emit({ ruleId: 'PL006', message: `Interface endpoint ${r.address} has no subnets, so it has no network interfaces to connect through.`, location: at(r) });
  }
  const sgVal = tf ? r.attrs.security_group_ids : r.attrs.SecurityGroupIds;
  if (e.usesDefaultSg && !(sgVal && sgVal.kind === 'unknown') && (custom || e.serviceLink.kind === 'aws-service')) {
    emit({
      ruleId: 'PL003',
      message: `Interface endpoint ${r.address} sets no security groups, so AWS attaches the VPC default security group, which admits only its own members.`,
      location: at(r),
      fixes: [endpointSgFix(e, ctx.textOf)],
    });
  }
  if (e.serviceLink.kind === 'unresolved' && (custom || name === undefined || name.trim() === '')) {
    emit({ ruleId: 'PL035', message: `The endpoint service of ${r.address} cannot be found: ${e.serviceLink.reason}.`, location: attrLoc(r, tf ? 'service_name' : 'ServiceName') });
  }
}

function nlbRules(lb: LoadBalancer, services: Resource[], ctx: RuleContext, emit: Emit): void {
  const r = lb.resource;
  const tf = r.lang === 'terraform';
  const enforceName = tf ? 'enforce_security_group_inbound_rules_on_private_link_traffic' : 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic';
  if (lb.noSgs && services.length > 0) {
    const optOut = r.annotations.some((a) => a.kind === 'ignore' && a.value === 'PL020');
    emit({
      ruleId: 'PL020',
      severity: optOut ? 'info' : 'warning',
      message: `Network Load Balancer ${r.address} behind endpoint service ${services[0].address} has no security groups; they can only be added by replacing the load balancer${tf ? ' (Terraform plans a replacement)' : ''}, which breaks the service association.`,
      location: at(r),
      related: [{ location: at(services[0]), message: `endpoint service ${services[0].address}` }],
    });
  }
  if (lb.noSgs && lb.enforceExplicit) {
    emit({ ruleId: 'PL023', severity: 'warning', unnecessary: true, message: `${enforceName} has no effect on ${r.address}, which has no security groups.`, location: valueLoc(r, enforceName) });
  } else if (!lb.noSgs && lb.enforcePrivateLink === 'off') {
    emit({
      ruleId: 'PL023',
      message: `Inbound rules of ${r.address}'s security groups are not applied to PrivateLink traffic; access is limited only by allowed principals, acceptance and the consumers' endpoint security groups.`,
      location: valueLoc(r, enforceName),
    });
  }
}

/** PL021/PL022 second option: turn PrivateLink inbound enforcement off on the NLB. */
function enforcementOffFix(lb: LoadBalancer, textOf: TextOf): Fix | undefined {
  const tf = lb.resource.lang === 'terraform';
  const name = tf ? 'enforce_security_group_inbound_rules_on_private_link_traffic' : 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic';
  const f = setAttributeFix(lb.resource, textOf, name, '"off"', '"off"', `Do not apply ${lb.resource.address}'s inbound rules to PrivateLink traffic`);
  // Allowing the consumers' CIDRs keeps the filtering; turning enforcement off is the second choice.
  return f && { ...f, preferred: false };
}

/** PL003: give the endpoint a security group of its own. */
function endpointSgFix(e: Endpoint, textOf: TextOf): Fix | undefined {
  const r = e.resource;
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text)) return undefined;
  const tf = r.lang === 'terraform';
  const vpcSpan = r.attrSpans[tf ? 'vpc_id' : 'VpcId'];
  if (!vpcSpan) return undefined;
  const vpcText = text.slice(vpcSpan.start, vpcSpan.end).replace(tf ? /^[^=]*=\s*/ : /^[^:]*:\s*/, '');
  const lineStart = text.lastIndexOf('\n', r.span.start - 1) + 1;
  const ind = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const base = r.address.replace(/\[.*?\]/g, '').replace(/^.*\./, '').replace(/[^A-Za-z0-9_]/g, '_');
  if (tf) {
    const sgName = `${base}_vpce`;
    const set = setAttributeFix(r, textOf, 'security_group_ids', `[aws_security_group.${sgName}.id]`, '', '');
    if (!set) return undefined;
    let end = text.indexOf('\n', r.span.end - 1);
    if (end < 0) end = text.length;
    if (end > 0 && text[end - 1] === '\r') end--;
    const nl = text.includes('\r\n') ? '\r\n' : '\n';
    const sg = [``, `${ind}resource "aws_security_group" "${sgName}" {`, `${ind}  name_prefix = "${base}-vpce-"`, `${ind}  description = "Interface endpoint ${base}"`, `${ind}  vpc_id      = ${vpcText}`, `${ind}}`].join(nl);
    return { title: `Create a security group for ${r.address}`, edits: [...set.edits, { file: r.file, span: { start: end, end }, newText: nl + sg }], preferred: true };
  }
  if (r.file.toLowerCase().endsWith('.json')) return undefined;
  const sgName = `${r.address}Sg`;
  const set = setAttributeFix(r, textOf, 'SecurityGroupIds', '', `[!GetAtt ${sgName}.GroupId]`, '');
  if (!set) return undefined;
  const unit = '  ';
  let end = r.span.end;
  while (end > r.span.start && /\s/.test(text[end - 1])) end--;
  const le = text.indexOf('\n', end);
  const pos = le < 0 ? text.length : le;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const block = [``, `${ind}${sgName}:`, `${ind}${unit}Type: AWS::EC2::SecurityGroup`, `${ind}${unit}Properties:`, `${ind}${unit}${unit}GroupDescription: Interface endpoint ${r.address}`, `${ind}${unit}${unit}VpcId: ${vpcText}`].join(nl);
  return { title: `Create a security group for ${r.address}`, edits: [...set.edits, { file: r.file, span: { start: pos, end: pos }, newText: block }], preferred: true };
}

