import { describeRule } from '../graph/securityGroups';
import { isCustomEndpoint } from './endpointRules';
import { attrLoc, prop, type Rule } from './types';
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
          });
        }
      }
    }
  },
};

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
