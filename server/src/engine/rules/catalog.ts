import type { Severity } from '../model/finding';

/** What every rule declares about itself: id, short name, default severity, whether it has a quick fix. */
export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  fixable: boolean;
  /** Implemented in this version; the rest are in the catalog and reported by no check yet. */
  implemented: boolean;
  /** Why the rule matters, in one sentence: what the hover adds to a finding (the doc page says more). */
  why: string;
}

export const DOCS_BASE = 'https://github.com/privatelink-lens/privatelink-lens/blob/main/docs/rules/';

export function docUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

const WHY: Record<string, string> = {
  PL001: "Security groups filter outbound traffic too, and Terraform removes AWS's default allow-all egress, so the client must be allowed to reach the endpoint on the listener port.",
  PL002: "The endpoint's security group must admit the resources that use it, on the port the NLB listens on, or the connection times out at the endpoint.",
  PL003: "An interface endpoint created without security groups gets the VPC default group, which admits only its own members (and is often stripped of all rules by hardening).",
  PL004: "The endpoint only answers connections started from the VPC and security groups are stateful, so its egress rules never gate PrivateLink traffic.",
  PL005: "An endpoint's type defaults to Gateway, which only serves S3 and DynamoDB; an endpoint service needs an Interface endpoint.",
  PL006: "An interface endpoint has network interfaces only in the subnets it is given; with none it cannot carry traffic.",
  PL007: "An interface endpoint takes one subnet per Availability Zone; a second subnet in the same zone is rejected.",
  PL008: "Endpoint interfaces can only be created in zones where the service's NLB is enabled, and zone names differ between accounts (compare zone ids).",
  PL009: "Private DNS for an endpoint needs both DNS resolution and DNS hostnames turned on in the VPC; hostnames are off by default.",
  PL010: "Consumers can use a service's private DNS name only once the provider has verified the domain; without a name, private DNS resolves nothing.",
  PL011: "IPv6 and dual-stack endpoints need a service that accepts IPv6, whose NLBs are dual-stack, and subnets with IPv6.",
  PL012: "Endpoints to endpoint services get full access: AWS does not enforce endpoint policies there, so the policy gives a false sense of control.",
  PL013: "Allowing \"*\" lets every AWS account discover the service; with automatic acceptance, AWS says the load balancer is effectively public.",
  PL014: "Without acceptance, any allowed principal's endpoint connects at once; acceptance is the provider's review step.",
  PL015: "Allowed principals must be account root, role or user ARNs (or service principals); ARNs with paths are not supported.",
  PL016: "An endpoint service needs a Network (or Gateway) Load Balancer; a load balancer's type defaults to application.",
  PL017: "A Network Load Balancer can be associated with a single endpoint service.",
  PL018: "Each endpoint interface is pinned to one NLB of the service at random, so every NLB must serve the same listeners and targets.",
  PL019: "PrivateLink does not support Network Load Balancers with more than 50 listeners.",
  PL020: "NLB security groups can only be set when the NLB is created; adding them later replaces the NLB and breaks the service association.",
  PL021: "With inbound rules applied to PrivateLink traffic (the default), the NLB sees the client's private IP, which its security group must admit.",
  PL022: "PrivateLink traffic reaches the NLB from the client's private IP, so a rule naming the consumer's security group never matches it.",
  PL023: "The enforcement setting decides whether NLB inbound rules apply to PrivateLink traffic; without security groups it has no effect.",
  PL024: "The NLB's outbound rules control what reaches the targets, health checks included.",
  PL025: "Targets behind an endpoint service see the NLB's private IPs as the source, on the traffic port and the health-check port.",
  PL026: "Client IP preservation has no effect on PrivateLink traffic: rules that admit client addresses never match it.",
  PL027: "Some listener and target-group protocol combinations are invalid (TCP_UDP needs TCP_UDP, QUIC forbids security groups), and interface endpoints carry TCP.",
  PL028: "A PrivateLink security group needs only the listener ports; anything wider is exposure with no use.",
  PL029: "With cross-zone load balancing off, a zone without healthy targets fails for the consumers whose endpoint interface lands there.",
  PL030: "Proxy protocol v2 headers also go to health checks; targets that cannot parse them fail.",
  PL031: "An open CIDR on a PrivateLink security group admits any source that can route to it; AWS advises admitting the client addresses.",
  PL032: "A security group can only be attached to resources in its own VPC.",
  PL033: "With acceptance required, the endpoint stays pendingAcceptance until someone accepts it.",
  PL034: "Security groups drop traffic silently; flow logs are where rejected PrivateLink flows show.",
  PL035: "What cannot be known before deployment is reported as unknown, so a missing finding is not read as a pass.",
};

const R = (id: string, name: string, severity: Severity, fixable: boolean, implemented: boolean): RuleMeta => ({ id, name, severity, fixable, implemented, why: WHY[id] ?? '' });

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
