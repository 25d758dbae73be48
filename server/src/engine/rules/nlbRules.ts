import { servicesByLb } from './serviceRules';
import { at, prop, valueLoc, type Rule } from './types';

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
        emit({ severity: 'warning', unnecessary: true, message: `${name} has no effect on ${r.address}, which has no security groups.`, location: valueLoc(r, name) });
      } else if (!lb.noSgs && lb.enforcePrivateLink === 'off') {
        emit({
          message: `Inbound rules of ${r.address}'s security groups are not applied to PrivateLink traffic; access is limited only by allowed principals, acceptance and the consumers' endpoint security groups.`,
          location: valueLoc(r, name),
        });
      }
    }
  },
};
