import type { Fix } from '../model/finding';
import type { Resource } from '../model/resource';
import { type Value, asString } from '../model/value';
import { setAttributeFix, type TextOf } from './fixes';
import { at, attrLoc, prop, type Rule } from './types';
import type { EndpointService } from '../graph/build';

const PRINCIPAL = /^arn:aws(-[a-z-]+)?:iam::\d{12}:(root|role\/[^/]+|user\/[^/]+)$/;
// Service principals (appflow.amazonaws.com) are valid allowed principals too (privatelink.md E3).
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

/**
 * Whether the service accepts connections without approval. CloudFormation's default for an omitted
 * AcceptanceRequired is not documented (A3.7); like Checkov's CKV_AWS_123, an omitted value counts.
 */
export function autoAccepts(s: EndpointService): boolean {
  const r = s.resource;
  if (r.lang === 'terraform') return s.acceptanceRequired === false;
  return s.acceptanceRequired === false || (s.acceptanceRequired === undefined && !r.attrs.AcceptanceRequired);
}

/** PL013: `*` makes the service discoverable by every account; with auto-accept it is public. */
export const PL013: Rule = {
  id: 'PL013',
  check(ctx, emit) {
    for (const s of ctx.graph.services) {
      const auto = autoAccepts(s);
      for (const p of s.principals) {
        if (asString(p.value) !== '*') continue;
        emit({
          severity: auto ? 'error' : 'warning',
          message: `Endpoint service ${s.resource.address} allows every AWS principal ("*")${auto ? ' and accepts connections automatically, so its load balancer is effectively public' : ''}.`,
          location: p.value.origin ?? at(p.declaredBy),
        });
      }
    }
  },
};

/** PL014: connection requests are accepted without review. */
export const PL014: Rule = {
  id: 'PL014',
  check(ctx, emit) {
    for (const s of ctx.graph.services) {
      if (!autoAccepts(s)) continue;
      const r = s.resource;
      const name = prop(r, 'acceptance_required', 'AcceptanceRequired');
      emit({
        message: `Endpoint service ${r.address} accepts connection requests automatically${r.lang === 'terraform' ? '' : ' (AcceptanceRequired is not true)'}.`,
        location: r.attrSpans[name] ? attrLoc(r, name) : at(r),
        fixes: [setAttributeFix(r, ctx.textOf, name, 'true', 'true', 'Require acceptance of endpoint connections')],
      });
    }
  },
};

/** PL015: principals must be account root, role or user ARNs without a path (or a service principal). */
export const PL015: Rule = {
  id: 'PL015',
  check(ctx, emit) {
    for (const s of ctx.graph.services) {
      for (const p of s.principals) {
        const v = asString(p.value);
        if (v === undefined || v === '*' || PRINCIPAL.test(v) || SERVICE_PRINCIPAL.test(v)) continue;
        emit({
          message: `Allowed principal "${v}" of ${s.resource.address} is not an IAM root, role or user ARN without a path (arn:aws:iam::<account>:root).`,
          location: p.value.origin ?? at(p.declaredBy),
          fixes: principalFixes(p.value, v, ctx.textOf),
        });
      }
    }
  },
};

/**
 * PL015 fixes, where the account can be read from the value: a bare account id becomes the account's root
 * ARN; a role or user ARN with a path loses the path (names are unique in an account, whatever the path),
 * with the account root as the broader alternative. The literal is replaced where it is written, in its
 * own quotes.
 */
function principalFixes(value: Value, v: string, textOf: TextOf): (Fix | undefined)[] {
  const o = value.origin;
  const text = o && textOf(o.file);
  if (!o || text === undefined || value.kind !== 'string') return [];
  const written = text.slice(o.span.start, o.span.end);
  const q = written[0] === '"' || written[0] === "'" ? written[0] : '';
  if ((q ? written.slice(1, -1) : written) !== v || (q && written[written.length - 1] !== q)) return [];
  const edit = (arn: string, title: string, preferred: boolean): Fix => ({ title, edits: [{ file: o.file, span: o.span, newText: `${q}${arn}${q}` }], preferred });
  if (/^\d{12}$/.test(v)) return [edit(`arn:aws:iam::${v}:root`, `Use the root ARN of account ${v}`, true)];
  const m = /^arn:(aws(?:-[a-z-]+)?):iam::?(\d{12}):(.*)$/.exec(v);
  if (!m) return [];
  const [, partition, account, rest] = m;
  const root = `arn:${partition}:iam::${account}:root`;
  const named = /^(role|user)\/(?:[^/]*\/)*([^/]+)$/.exec(rest);
  const out: Fix[] = [];
  if (named) out.push(edit(`arn:${partition}:iam::${account}:${named[1]}/${named[2]}`, `Use ${named[1]}/${named[2]} without its path`, true));
  out.push(edit(root, `Allow the whole account ${account} (${root})`, !named));
  return out;
}

/** PL016: an endpoint service needs a Network Load Balancer; the LB type defaults to application. */
export const PL016: Rule = {
  id: 'PL016',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const s of g.services) {
      const r = s.resource;
      const gwlb = r.attrs[prop(r, 'gateway_load_balancer_arns', 'GatewayLoadBalancerArns')];
      if (s.lbs.length === 0 && !(gwlb && gwlb.kind !== 'null')) {
        emit({ message: `Endpoint service ${r.address} has no network load balancer.`, location: at(r) });
      }
      for (const t of s.lbs) {
        const lb = t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined;
        if (!lb || lb.type === 'network') continue;
        const name = prop(lb.resource, 'load_balancer_type', 'Type');
        emit({
          message: `Load balancer ${lb.resource.address} behind endpoint service ${r.address} is of type ${lb.type}${lb.resource.attrSpans[name] ? '' : ' (the default)'}; an endpoint service needs a Network Load Balancer.`,
          location: attrLoc(lb.resource, name),
          related: [{ location: at(r), message: `endpoint service ${r.address}` }],
          fixes: [setAttributeFix(lb.resource, ctx.textOf, name, '"network"', 'network', 'Make it a Network Load Balancer (replaces the load balancer)')],
        });
      }
    }
  },
};

/** The services each load balancer is attached to. */
export function servicesByLb(services: EndpointService[]): Map<string, Resource[]> {
  const m = new Map<string, Resource[]>();
  for (const s of services) {
    for (const t of s.lbs) {
      if (t.kind !== 'resource') continue;
      (m.get(t.resource.key) ?? m.set(t.resource.key, []).get(t.resource.key)!).push(s.resource);
    }
  }
  return m;
}

/** PL017: an NLB can be associated with a single endpoint service. */
export const PL017: Rule = {
  id: 'PL017',
  check(ctx, emit) {
    for (const [key, services] of servicesByLb(ctx.graph.services)) {
      const lb = ctx.graph.lbs.get(key);
      if (!lb || services.length < 2) continue;
      emit({
        message: `Network Load Balancer ${lb.resource.address} is attached to ${services.length} endpoint services; it can belong to only one.`,
        location: at(lb.resource),
        related: services.map((s) => ({ location: at(s), message: `endpoint service ${s.address}` })),
      });
    }
  },
};
