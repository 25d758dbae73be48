/**
 * Paths for the page test, shaped like the server's answer for examples/terraform (a consumer and a
 * provider root with their own provider aliases), plus a path whose every name is an attack.
 */
import type { HopInfo, HopLocation, PathInfo } from '../../server/src/shared/protocol';

const CONSUMER = 'file:///ws/terraform/consumer/main.tf';
const PROVIDER = 'file:///ws/terraform/provider/main.tf';
const CONSUMER_GROUP = 'terraform/consumer · aws.consumer';
const PROVIDER_GROUP = 'terraform/provider · aws.provider';

function at(uri: string, line: number, from = 9, to = 30): HopLocation {
  return { uri, range: { start: { line, character: from }, end: { line, character: to } } };
}

export const PL002_MESSAGE = 'Endpoint security group aws_security_group.endpoint does not admit client aws_instance.client on TCP 443.';
export const PL002_FIX = 'Allow TCP 443 from aws_security_group.client in aws_security_group.endpoint';
export const PL025_MESSAGE =
  "Target security group aws_security_group.api does not admit the NLB aws_lb.api on TCP 8080 (health checks); PrivateLink traffic arrives from the NLB's private IPs.";

function consumerHops(): HopInfo[] {
  return [
    { kind: 'client', label: 'aws_instance.client', verdict: 'open', reasons: [], location: at(CONSUMER, 40), resource: 'tf:c:aws_instance.client', group: CONSUMER_GROUP, vpc: 'aws_vpc.consumer', ports: 'TCP 443' },
    { kind: 'clientSg', label: 'aws_security_group.client', verdict: 'open', reasons: [], location: at(CONSUMER, 22), resource: 'tf:c:aws_security_group.client', group: CONSUMER_GROUP, vpc: 'aws_vpc.consumer', ports: 'TCP 443' },
    {
      kind: 'endpointSg',
      label: 'aws_security_group.endpoint',
      verdict: 'blocked',
      reasons: [
        {
          ruleId: 'PL002',
          message: PL002_MESSAGE,
          finding: {
            location: at(CONSUMER, 50, 10, 37),
            message: PL002_MESSAGE,
            fixes: [{ title: PL002_FIX, preferred: true }, { title: 'Allow TCP 443 from 10.10.1.0/24 in aws_security_group.endpoint' }],
          },
        },
      ],
      location: at(CONSUMER, 50),
      resource: 'tf:c:aws_security_group.endpoint',
      group: CONSUMER_GROUP,
      vpc: 'aws_vpc.consumer',
      ports: 'TCP 443',
    },
    { kind: 'endpoint', label: 'aws_vpc_endpoint.api', verdict: 'open', reasons: [], location: at(CONSUMER, 62), resource: 'tf:c:aws_vpc_endpoint.api', group: CONSUMER_GROUP, vpc: 'aws_vpc.consumer', ports: 'TCP 443' },
  ];
}

function providerHops(target: string, targetSg: Pick<HopInfo, 'verdict' | 'reasons'>): HopInfo[] {
  return [
    { kind: 'endpointService', label: 'aws_vpc_endpoint_service.api', verdict: 'open', reasons: [], location: at(PROVIDER, 120), resource: 'tf:p:aws_vpc_endpoint_service.api', group: PROVIDER_GROUP, ports: 'TCP 443' },
    {
      kind: 'nlbSg',
      label: 'aws_security_group.nlb',
      verdict: 'open',
      reasons: [],
      location: at(PROVIDER, 30),
      resource: 'tf:p:aws_security_group.nlb',
      group: PROVIDER_GROUP,
      vpc: 'aws_vpc.provider',
      ports: 'in TCP 443, out TCP 8443, health checks TCP 8080',
    },
    { kind: 'nlb', label: 'aws_lb.api', verdict: 'open', reasons: [], location: at(PROVIDER, 80), resource: 'tf:p:aws_lb.api', group: PROVIDER_GROUP, vpc: 'aws_vpc.provider', ports: 'TCP 443' },
    { kind: 'listener', label: 'aws_lb_listener.api (TCP 443)', verdict: 'open', reasons: [], location: at(PROVIDER, 100), resource: 'tf:p:aws_lb_listener.api', group: PROVIDER_GROUP, vpc: 'aws_vpc.provider', ports: 'TCP 443' },
    {
      kind: 'targetGroup',
      label: 'aws_lb_target_group.api (TCP 8443)',
      verdict: 'open',
      reasons: [],
      location: at(PROVIDER, 90),
      resource: 'tf:p:aws_lb_target_group.api',
      group: PROVIDER_GROUP,
      vpc: 'aws_vpc.provider',
      ports: 'TCP 8443, health checks TCP 8080',
    },
    {
      kind: 'targetSg',
      label: 'aws_security_group.api',
      ...targetSg,
      location: at(PROVIDER, 50),
      resource: 'tf:p:aws_security_group.api',
      group: PROVIDER_GROUP,
      vpc: 'aws_vpc.provider',
      ports: 'TCP 8443, health checks TCP 8080',
    },
    { kind: 'target', label: target, verdict: 'open', reasons: [], location: at(PROVIDER, 70), resource: `tf:p:${target}`, group: PROVIDER_GROUP, vpc: 'aws_vpc.provider', ports: 'TCP 8443, health checks TCP 8080' },
  ];
}

/** Blocked twice: the endpoint SG (PL002, two fixes) and the target SG on the health-check port (PL025). */
export const BLOCKED_PATH: PathInfo = {
  id: 'tf:c:aws_instance.client>…>tf:p:aws_instance.api[0]@TCP 443',
  verdict: 'blocked',
  port: 'TCP 443',
  hops: [
    ...consumerHops(),
    ...providerHops('aws_instance.api[0]', {
      verdict: 'blocked',
      reasons: [{ ruleId: 'PL025', message: PL025_MESSAGE, finding: { location: at(PROVIDER, 58, 4, 40), message: PL025_MESSAGE, fixes: [{ title: 'Allow TCP 8080 from aws_security_group.nlb in aws_security_group.api', preferred: true }] } }],
    }),
  ],
};

/** The other target, whose group cannot be decided (a variable without default). */
export const UNKNOWN_PATH: PathInfo = {
  id: 'tf:c:aws_instance.client>…>tf:p:aws_instance.api[1]@TCP 443',
  verdict: 'unknown',
  port: 'TCP 443',
  hops: [
    ...consumerHops().map((h) => (h.kind === 'endpointSg' ? { ...h, verdict: 'open' as const, reasons: [] } : h)),
    ...providerHops('aws_instance.api[1]', {
      verdict: 'unknown',
      reasons: [{ ruleId: 'PL035', message: 'Target ingress on TCP 8443 cannot be decided: variable "admin_cidr" has no default.' }],
    }),
  ],
};

/** Names a hostile repository could hold: markup, script, quotes, a line break, Mermaid syntax. */
export const XSS = '<img src=x onerror="window.__pwned=1">';
export const XSS_SCRIPT = '<script>window.__pwned=2</script>';
export const XSS_MERMAID = 'a"] --> evil["x" #quot; `md` | ]';

export const XSS_PATH: PathInfo = {
  id: `xss"><img src=x onerror="window.__pwned=3">`,
  verdict: 'blocked',
  port: `TCP 443 ${XSS}`,
  hops: [
    { kind: 'client', label: XSS, verdict: 'open', reasons: [], location: at(CONSUMER, 1), resource: XSS, group: `${XSS_SCRIPT} · aws`, vpc: XSS, ports: XSS },
    {
      kind: 'endpointSg',
      label: `${XSS_SCRIPT}\nsecond line`,
      verdict: 'blocked',
      reasons: [{ ruleId: `PL002${XSS}`, message: `blocked by ${XSS}`, finding: { location: at(CONSUMER, 2), message: XSS, fixes: [{ title: `Fix ${XSS_SCRIPT}`, preferred: true }] } }],
      location: at(CONSUMER, 2),
      group: `${XSS_SCRIPT} · aws`,
      vpc: XSS,
    },
    { kind: 'endpoint', label: XSS_MERMAID, verdict: 'open', reasons: [], group: `${XSS_SCRIPT} · aws` },
  ],
};
