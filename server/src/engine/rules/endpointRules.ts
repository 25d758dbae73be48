import { asString, firstUnknown } from '../model/value';
import { setAttributeFix } from './fixes';
import { at, attrLoc, prop, VPCE_SERVICE_NAME, type Rule } from './types';
import type { Endpoint } from '../graph/build';

/** An endpoint to an endpoint service (not an AWS service): linked to one, or named like one. */
export function isCustomEndpoint(e: Endpoint): boolean {
  const name = asString(e.serviceName);
  return e.service !== undefined || (name !== undefined && VPCE_SERVICE_NAME.test(name));
}

/** PL005: the type defaults to Gateway, which an endpoint service cannot use. */
export const PL005: Rule = {
  id: 'PL005',
  check(ctx, emit) {
    for (const e of ctx.graph.endpoints) {
      const r = e.resource;
      const t = e.type.toLowerCase();
      if (!isCustomEndpoint(e) || t === 'interface' || t === 'gatewayloadbalancer') continue;
      const name = prop(r, 'vpc_endpoint_type', 'VpcEndpointType');
      emit({
        message: `Endpoint ${r.address} to an endpoint service is of type ${e.type}${r.attrSpans[name] ? '' : ' (the default)'}; it must be Interface.`,
        location: attrLoc(r, name),
        fixes: [setAttributeFix(r, ctx.textOf, name, '"Interface"', 'Interface', 'Make it an Interface endpoint (replaces the endpoint)')],
      });
    }
  },
};

/** PL006: an interface endpoint has network interfaces only in the subnets it is given. */
export const PL006: Rule = {
  id: 'PL006',
  check(ctx, emit) {
    for (const e of ctx.graph.endpoints) {
      const r = e.resource;
      if (!isCustomEndpoint(e) || e.type.toLowerCase() !== 'interface' || e.subnets.length > 0) continue;
      const v = r.attrs[prop(r, 'subnet_ids', 'SubnetIds')];
      if (v && (v.kind === 'unknown' || firstUnknown(v))) continue;
      emit({ message: `Interface endpoint ${r.address} has no subnets, so it has no network interfaces to connect through.`, location: at(r) });
    }
  },
};
