import type { Severity } from '../model/finding';

/** What every rule declares about itself: id, short name, default severity, whether it has a quick fix. */
export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  fixable: boolean;
  /** Implemented in this version; the rest are in the catalog and reported by no check yet. */
  implemented: boolean;
}

export const DOCS_BASE = 'https://github.com/privatelink-lens/privatelink-lens/blob/main/docs/rules/';

export function docUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

const R = (id: string, name: string, severity: Severity, fixable: boolean, implemented: boolean): RuleMeta => ({ id, name, severity, fixable, implemented });

/** The catalog of privatelink.md section E. The ids are stable; never renumber. */
export const RULES: readonly RuleMeta[] = [
  R('PL001', 'client-sg-egress', 'error', true, true),
  R('PL002', 'endpoint-sg-ingress', 'error', true, true),
  R('PL003', 'endpoint-default-sg', 'warning', true, true),
  R('PL004', 'endpoint-sg-egress-irrelevant', 'info', true, true),
  R('PL005', 'endpoint-not-interface', 'error', true, true),
  R('PL006', 'endpoint-no-subnets', 'error', true, true),
  R('PL007', 'endpoint-subnets-same-az', 'error', true, true),
  R('PL008', 'endpoint-az-not-served', 'error', true, true),
  R('PL009', 'private-dns-vpc-attributes', 'error', true, true),
  R('PL010', 'private-dns-name-unusable', 'warning', true, true),
  R('PL011', 'ip-address-type-mismatch', 'error', true, true),
  R('PL012', 'endpoint-policy-not-enforced', 'info', true, true),
  R('PL013', 'service-allows-all-principals', 'warning', false, true),
  R('PL014', 'service-auto-accept', 'warning', true, true),
  R('PL015', 'malformed-principal', 'warning', true, true),
  R('PL016', 'service-without-nlb', 'error', true, true),
  R('PL017', 'nlb-on-several-services', 'error', false, true),
  R('PL018', 'service-nlbs-differ', 'warning', false, true),
  R('PL019', 'nlb-too-many-listeners', 'error', false, true),
  R('PL020', 'nlb-without-sg', 'warning', true, true),
  R('PL021', 'nlb-sg-blocks-consumers', 'error', true, true),
  R('PL022', 'nlb-sg-references-sg', 'error', true, true),
  R('PL023', 'privatelink-enforcement-notice', 'info', true, true),
  R('PL024', 'nlb-sg-egress-to-targets', 'error', true, true),
  R('PL025', 'target-sg-ingress-from-nlb', 'error', true, true),
  R('PL026', 'target-expects-client-ip', 'warning', true, true),
  R('PL027', 'listener-protocol-invalid', 'error', true, true),
  R('PL028', 'sg-opens-unserved-ports', 'info', true, true),
  R('PL029', 'nlb-az-without-targets', 'warning', true, true),
  R('PL030', 'proxy-protocol-v2', 'info', true, true),
  R('PL031', 'broad-rule-on-path', 'warning', true, true),
  R('PL032', 'sg-vpc-mismatch', 'error', false, true),
  R('PL033', 'acceptance-without-accepter', 'info', true, true),
  R('PL034', 'no-flow-logs', 'info', false, true),
  R('PL035', 'unresolved-reference', 'info', false, true),
];

export const RULES_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(RULES.map((r) => [r.id, r]));
