/**
 * textDocument/codeLens: above each endpoint, endpoint service and NLB on a PrivateLink path, how many of
 * its paths are open, blocked or unknown; clicking opens the path view for that resource.
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { Resource, Verdict } from '../engine';
import { toRange, uriToFile } from './convert';
import { SHOW_PATH_COMMAND } from './hover';
import type { Session } from './session';

const ENDPOINT_TYPES = new Set(['aws_vpc_endpoint', 'aws_vpc_endpoint_service', 'AWS::EC2::VPCEndpoint', 'AWS::EC2::VPCEndpointService']);
const LOAD_BALANCER_TYPES = new Set(['aws_lb', 'aws_alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer']);

export function codeLenses(session: Session, params: CodeLensParams): CodeLens[] {
  const snap = session.snapshot;
  const file = uriToFile(params.textDocument.uri);
  // Lenses placed from an older text would sit on the wrong lines; the client asks again after the analysis.
  if (!snap || !file || !session.isCurrent(file)) return [];
  const lenses: CodeLens[] = [];
  for (const r of snap.resources(file)) {
    if (!wantsLens(r)) continue;
    const paths = snap.pathsThrough(r.key);
    if (paths.length === 0) continue;
    const counts: Record<Verdict, number> = { open: 0, blocked: 0, unknown: 0 };
    for (const p of paths) counts[p.verdict]++;
    const start = toRange(snap, file, { start: r.span.start, end: r.span.start }).start;
    lenses.push({
      range: { start, end: start },
      command: { title: lensTitle(counts), command: SHOW_PATH_COMMAND, arguments: [{ uri: params.textDocument.uri, position: start }] },
    });
  }
  return lenses;
}

function wantsLens(r: Resource): boolean {
  if (r.mode !== 'managed') return false;
  if (ENDPOINT_TYPES.has(r.type)) return true;
  if (!LOAD_BALANCER_TYPES.has(r.type)) return false;
  // Only network load balancers front endpoint services. Absent means "application" in both languages;
  // a type that cannot be evaluated is given the benefit of the doubt, since the resource is on a path.
  const v = r.lang === 'terraform' ? r.attrs.load_balancer_type : r.attrs.Type;
  if (v === undefined || v.kind === 'null') return false;
  if (v.kind === 'string') return v.value.toLowerCase() === 'network';
  return v.kind !== 'number' && v.kind !== 'bool' && v.kind !== 'list' && v.kind !== 'object';
}

/** `PrivateLink: 2 paths open · 1 blocked · 1 unknown`, leaving out the zero counts. */
export function lensTitle(counts: Record<Verdict, number>): string {
  const parts = (['open', 'blocked', 'unknown'] as const).filter((v) => counts[v] > 0).map((v) => ({ v, n: counts[v] }));
  const text = parts.map(({ v, n }, i) => (i === 0 ? `${n} ${n === 1 ? 'path' : 'paths'} ${v}` : `${n} ${v}`)).join(' · ');
  return `PrivateLink: ${text}`;
}
