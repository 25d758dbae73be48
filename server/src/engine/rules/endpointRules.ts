import type { Fix } from '../model/finding';
import type { Resource } from '../model/resource';
import { asString, firstUnknown } from '../model/value';
import { targetId } from '../graph/refs';
import { setAttributeFix, tfRef } from './fixes';
import { at, attrLoc, prop, VPCE_SERVICE_NAME, type Rule, type RuleContext } from './types';
import type { Endpoint, Subnet } from '../graph/build';

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
      emit({ message: `Interface endpoint ${r.address} has no subnets, so it has no network interfaces to connect through.`, location: at(r), fixes: [subnetsFix(ctx, e)] });
    }
  },
};

/**
 * PL006 fix: one subnet per Availability Zone of the endpoint's VPC, taken from the subnets declared next to
 * it (same module / template), in the zones the service's NLBs serve when those are known (AZ ids compared
 * when every side gives them, else names). Subnets whose zone is not known are used only when none is.
 */
function subnetsFix(ctx: RuleContext, e: Endpoint): Fix | undefined {
  const g = ctx.graph;
  const r = e.resource;
  const vpc = targetId(e.vpc);
  if (!vpc) return undefined;
  const tf = r.lang === 'terraform';
  const near = (x: Resource) => (tf ? x.lang === 'terraform' && x.root === r.root && (x.modulePath ?? '') === (r.modulePath ?? '') : x.lang === 'cloudformation' && x.file === r.file);
  const candidates = [...g.subnets.values()].filter((s) => targetId(s.vpc) === vpc && near(s.resource));
  if (candidates.length === 0) return undefined;
  // The zones the service's load balancers serve, when every one of their subnets is known.
  const served: Subnet[] = [];
  let servedKnown = !!e.service && e.service.lbs.length > 0 && !r.attrs[prop(r, 'service_region', 'ServiceRegion')];
  for (const t of e.service?.lbs ?? []) {
    const lb = t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined;
    if (!lb || lb.subnets.length === 0) servedKnown = false;
    for (const st of lb?.subnets ?? []) {
      const sn = st.kind === 'resource' ? g.subnets.get(st.resource.key) : undefined;
      if (sn) served.push(sn);
      else servedKnown = false;
    }
  }
  const mode = candidates.every((s) => s.azId) && (!servedKnown || served.every((s) => s.azId)) ? 'id' : candidates.some((s) => s.az) ? 'name' : undefined;
  const zoneOf = (s: Subnet) => (mode === 'id' ? s.azId : mode === 'name' ? s.az : undefined);
  let chosen: Subnet[];
  if (!mode) chosen = [candidates[0]];
  else {
    const byZone = new Map<string, Subnet>();
    for (const s of candidates) {
      const z = zoneOf(s);
      if (z !== undefined && !byZone.has(z)) byZone.set(z, s);
    }
    chosen = [...byZone.values()];
    if (servedKnown && served.every((s) => zoneOf(s) !== undefined)) {
      const zones = new Set(served.map((s) => zoneOf(s)!));
      // A zone the NLBs do not serve would only trade this finding for PL008.
      chosen = chosen.filter((s) => zones.has(zoneOf(s)!));
    }
  }
  if (chosen.length === 0) return undefined;
  const tfList = `[${chosen.map((s) => tfRef(s.resource, 'id')).join(', ')}]`;
  const cfnList = `[${chosen.map((s) => `!Ref ${s.resource.address}`).join(', ')}]`;
  return setAttributeFix(r, ctx.textOf, prop(r, 'subnet_ids', 'SubnetIds'), tfList, cfnList, `Place ${r.address} in ${chosen.map((s) => s.resource.address).join(', ')}`);
}
