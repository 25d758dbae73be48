import type { Fix } from '../model/finding';
import { describeRule, type SgRule } from '../graph/securityGroups';
import { clientsOf, type EvaluatedPath } from '../graph/paths';
import { subnetCidrs, vpcCidrs } from '../graph/build';
import { cidrContains } from '../resolve/terraform/cidr';
import { isCustomEndpoint } from './endpointRules';
import { isDeclaredInFile, type TextOf } from './fixes';
import { attrLoc, prop, type Rule, type RuleContext } from './types';
import { asString } from '../model/value';

/** PL031: ingress from anywhere on a security group of the PrivateLink path. */
export const PL031: Rule = {
  id: 'PL031',
  check(ctx, emit) {
    const seen = new Set<string>();
    for (const p of ctx.paths) {
      for (const h of p.hops) {
        if ((h.kind !== 'endpointSg' && h.kind !== 'nlbSg' && h.kind !== 'targetSg') || !h.resource || seen.has(h.resource)) continue;
        seen.add(h.resource);
        const sg = ctx.graph.sgs.get(h.resource);
        if (!sg) continue;
        // With enforcement off the NLB's inbound rules do not see PrivateLink traffic at all.
        if (h.kind === 'nlbSg' && p.lb && p.lb.enforcePrivateLink === 'off') continue;
        for (const rule of sg.ingress) {
          if (rule.peer.kind !== 'cidr' || (rule.peer.cidr !== '0.0.0.0/0' && rule.peer.cidr !== '::/0')) continue;
          const what = h.kind === 'endpointSg' ? 'endpoint' : h.kind === 'nlbSg' ? 'NLB' : 'target';
          emit({
            message: `The ${what} security group ${sg.resource?.address ?? ''} on the PrivateLink path admits ${describeRule(rule)}; allow the consumer or VPC CIDRs instead.`,
            location: rule.origin,
            fixes: [narrowPeerFix(rule, narrowerCidrs(ctx, p, h.kind), ctx.textOf)],
          });
        }
      }
    }
  },
};

/**
 * PL031: what `0.0.0.0/0` can become without blocking the path. An endpoint group: its VPC's CIDR, when
 * every known client is inside it. An NLB group: the consumers' addresses (client subnets, else
 * privatelinkLens.consumerCidrs). A target group: the NLB's subnet CIDRs (PrivateLink traffic comes from
 * the NLB's private IPs, A5.2). Undefined when not known.
 */
function narrowerCidrs(ctx: RuleContext, p: EvaluatedPath, kind: 'endpointSg' | 'nlbSg' | 'targetSg'): string[] | undefined {
  const g = ctx.graph;
  const clientAddrs = (e: NonNullable<EvaluatedPath['endpoint']>) => clientsOf(g, e).map((c) => subnetCidrs(g, c.subnets).cidrs ?? vpcCidrs(g, c.vpc).cidrs);
  if (kind === 'endpointSg') {
    if (!p.endpoint) return undefined;
    const vpc = vpcCidrs(g, p.endpoint.vpc).cidrs;
    if (!vpc) return undefined;
    // A client in a peered VPC would lose access.
    const inside = clientAddrs(p.endpoint).every((cs) => cs !== undefined && cs.every((c) => vpc.some((v) => cidrContains(v, c) === true)));
    return inside ? vpc : undefined;
  }
  if (kind === 'nlbSg') {
    if (!p.lb) return undefined;
    const lb = p.lb;
    const endpoints = g.endpoints.filter((e) => e.service?.lbs.some((t) => t.kind === 'resource' && t.resource.key === lb.resource.key));
    const out: string[] = [];
    if (endpoints.length === 0 || endpoints.some((e) => clientsOf(g, e).length === 0)) out.push(...ctx.settings.consumerCidrs);
    for (const e of endpoints) {
      for (const cs of clientAddrs(e)) {
        if (!cs) return undefined;
        out.push(...cs);
      }
    }
    return out.length > 0 ? [...new Set(out)] : undefined;
  }
  return p.lb ? subnetCidrs(g, p.lb.subnets).cidrs : undefined;
}

/** Replaces the `0.0.0.0/0` / `::/0` literal of a rule by CIDRs of the same family, in the rule's own syntax. */
function narrowPeerFix(rule: SgRule, cidrs: string[] | undefined, textOf: TextOf): Fix | undefined {
  if (!cidrs || rule.peer.kind !== 'cidr') return undefined;
  const any = rule.peer.cidr;
  const v6 = any === '::/0';
  const same = [...new Set(cidrs.filter((c) => c.includes(':') === v6))];
  if (same.length === 0 || same.includes(any)) return undefined;
  const r = rule.declaredBy;
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text) || (r.lang === 'cloudformation' && r.file.toLowerCase().endsWith('.json'))) return undefined;
  const span = rule.inline ? rule.origin.span : r.span;
  if (rule.origin.file !== r.file) return undefined;
  // The literal must be written exactly once in the rule, so the edit is not a guess.
  const slice = text.slice(span.start, span.end);
  const esc = any.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const re = new RegExp(`(["']?)${esc}\\1`, 'g');
  const hits = [...slice.matchAll(re)];
  if (hits.length !== 1) return undefined;
  const m = hits[0];
  const start = span.start + m.index!;
  const end = start + m[0].length;
  const line = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
  const q = m[1];
  let newText: string;
  if (r.lang === 'terraform') {
    if (/\b(ipv6_)?cidr_blocks\s*=\s*\[[^\]]*$/.test(line)) newText = same.map((c) => JSON.stringify(c)).join(', ');
    else if (/\bcidr_ipv[46]\s*=\s*$/.test(line) && same.length === 1) newText = JSON.stringify(same[0]);
    else return undefined;
  } else {
    if (!/\bCidrIp(v6)?:\s*$/.test(line) || same.length !== 1) return undefined;
    newText = `${q}${same[0]}${q}`;
  }
  return { title: `Admit ${same.join(', ')} instead of ${any}`, edits: [{ file: r.file, span: { start, end }, newText }], preferred: true };
}

/** PL035: what the analysis could not follow, so an absent finding is not read as a pass. */
export const PL035: Rule = {
  id: 'PL035',
  check(ctx, emit) {
    for (const e of ctx.graph.endpoints) {
      if (e.serviceLink.kind !== 'unresolved') continue;
      const name = asString(e.serviceName);
      if (!(isCustomEndpoint(e) || name === undefined || name.trim() === '')) continue;
      const r = e.resource;
      emit({ message: `The endpoint service of ${r.address} cannot be found: ${e.serviceLink.reason}.`, location: attrLoc(r, prop(r, 'service_name', 'ServiceName')) });
    }
    for (const p of ctx.paths) {
      for (const h of p.hops) {
        for (const reason of h.reasons) {
          if (reason.ruleId === 'PL035' && h.location) emit({ message: reason.message, location: h.location });
        }
      }
    }
  },
};
