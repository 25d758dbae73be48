import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits, findingsOf, textAt } from './helpers';

/** A complete PrivateLink setup in one Terraform module; `endpointIngress` is the endpoint SG's rule set. */
function tfWorkspace(opts: { endpointIngress?: string; nlbIngress?: string; targetIngressPort?: number; enforce?: string } = {}): Record<string, string> {
  const endpointIngress =
    opts.endpointIngress ??
    `  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.client.id]
  }`;
  return {
    '/ws/net.tf': `
resource "aws_vpc" "c" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "c" {
  vpc_id     = aws_vpc.c.id
  cidr_block = "10.1.1.0/24"
}
resource "aws_vpc" "p" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.p.id
  cidr_block = "10.0.1.0/24"
}
`,
    '/ws/consumer.tf': `
resource "aws_security_group" "client" {
  vpc_id = aws_vpc.c.id
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.endpoint.id]
  }
}

resource "aws_security_group" "endpoint" {
  vpc_id = aws_vpc.c.id
${endpointIngress}
}

resource "aws_instance" "client" {
  subnet_id              = aws_subnet.c.id
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_vpc_endpoint" "api" {
  vpc_id             = aws_vpc.c.id
  service_name       = aws_vpc_endpoint_service.api.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.c.id]
  security_group_ids = [aws_security_group.endpoint.id]
}
`,
    '/ws/provider.tf': `
resource "aws_security_group" "nlb" {
  vpc_id = aws_vpc.p.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [${opts.nlbIngress ?? '"10.1.0.0/16"'}]
  }
  egress {
    from_port       = 8443
    to_port         = 8443
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.p.id
  ingress {
    from_port       = ${opts.targetIngressPort ?? 8443}
    to_port         = ${opts.targetIngressPort ?? 8443}
    protocol        = "tcp"
    security_groups = [aws_security_group.nlb.id]
  }
}

resource "aws_instance" "app" {
  subnet_id              = aws_subnet.p.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.p.id]
  security_groups    = [aws_security_group.nlb.id]${opts.enforce ? `\n  enforce_security_group_inbound_rules_on_private_link_traffic = "${opts.enforce}"` : ''}
}

resource "aws_lb_target_group" "app" {
  port     = 8443
  protocol = "TCP"
  vpc_id   = aws_vpc.p.id
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
}

resource "aws_lb_listener" "nlb" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.nlb.arn]
}
`,
  };
}

const HOPS = ['client', 'clientSg', 'endpointSg', 'endpoint', 'endpointService', 'nlbSg', 'nlb', 'listener', 'targetGroup', 'targetSg', 'target'];

test('a complete Terraform path is open hop by hop, with no error findings', () => {
  const r = analyzeFiles(tfWorkspace());
  assert.equal(r.paths.length, 1);
  const p = r.paths[0];
  assert.deepEqual(
    p.hops.map((h) => h.kind),
    HOPS,
  );
  assert.deepEqual(
    p.hops.map((h) => h.verdict),
    HOPS.map(() => 'open'),
    JSON.stringify(p.hops, null, 1),
  );
  assert.equal(p.verdict, 'open');
  assert.equal(p.port, 'TCP 443');
  assert.deepEqual(
    r.findings.filter((f) => f.severity === 'error'),
    [],
  );
});

test('PL002: the endpoint SG without ingress from the client blocks the path, and the fix opens it', () => {
  const files = tfWorkspace({ endpointIngress: '' });
  const r = analyzeFiles(files);
  const pl002 = findingsOf(r.findings, 'PL002');
  assert.equal(pl002.length, 1);
  assert.equal(pl002[0].severity, 'error');
  assert.equal(textAt(files, pl002[0]), '"aws_security_group" "endpoint"');
  assert.match(pl002[0].message, /aws_instance\.client/);
  assert.ok(pl002[0].related.some((x) => x.message.includes('aws_security_group.client')));
  const hop = r.paths[0].hops.find((h) => h.kind === 'endpointSg')!;
  assert.equal(hop.verdict, 'blocked');
  assert.equal(r.paths[0].verdict, 'blocked');
  // The SG has no inline rules of its own: the fix is a standalone rule resource.
  const fix = pl002[0].fixes[0];
  assert.ok(fix, 'PL002 has a fix');
  assert.match(fix.edits[0].newText, /resource "aws_vpc_security_group_ingress_rule"/);
  assert.match(fix.edits[0].newText, /referenced_security_group_id = aws_security_group\.client\.id/);
  const fixed = applyEdits(files, fix.edits);
  const again = analyzeFiles(fixed);
  assert.deepEqual(findingsOf(again.findings, 'PL002'), []);
  assert.deepEqual(findingsOf(again.findings, 'parse-error'), []);
  assert.equal(again.paths[0].verdict, 'open');
});

test('PL002 fix appends an inline block when the SG already uses inline rules', () => {
  const files = tfWorkspace({
    endpointIngress: `  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.9.0.0/16"]
  }`,
  });
  const r = analyzeFiles(files);
  const fix = findingsOf(r.findings, 'PL002')[0].fixes[0];
  assert.match(fix.edits[0].newText, /\n  ingress \{\n    description     = "PrivateLink clients"/);
  const again = analyzeFiles(applyEdits(files, fix.edits));
  assert.deepEqual(findingsOf(again.findings, 'PL002'), []);
});

test('PL021: the NLB SG must admit the client private IPs; PL022 when it references a consumer SG', () => {
  const r = analyzeFiles(tfWorkspace({ nlbIngress: '"192.168.0.0/16"' }));
  const pl021 = findingsOf(r.findings, 'PL021');
  assert.equal(pl021.length, 1);
  assert.match(pl021[0].message, /10\.1\.1\.0\/24/);
  assert.equal(pl021[0].fixes.length, 2, 'allow the CIDR, or turn enforcement off');
  assert.equal(r.paths[0].hops.find((h) => h.kind === 'nlbSg')!.verdict, 'blocked');
  // Enforcement off: the same group no longer blocks, and PL023 says so.
  const off = analyzeFiles(tfWorkspace({ nlbIngress: '"192.168.0.0/16"', enforce: 'off' }));
  assert.deepEqual(findingsOf(off.findings, 'PL021'), []);
  assert.equal(findingsOf(off.findings, 'PL023').length, 1);
  assert.equal(off.paths[0].verdict, 'open');
});

test('PL025: the target SG must admit the NLB on the traffic port', () => {
  const files = tfWorkspace({ targetIngressPort: 9000 });
  const r = analyzeFiles(files);
  const pl025 = findingsOf(r.findings, 'PL025');
  assert.equal(pl025.length, 1);
  assert.match(pl025[0].message, /TCP 8443/);
  const fixed = applyEdits(files, pl025[0].fixes[0].edits);
  assert.deepEqual(findingsOf(analyzeFiles(fixed).findings, 'PL025'), []);
});

test('every blocking hop is reported, not only the first', () => {
  const r = analyzeFiles(tfWorkspace({ endpointIngress: '', nlbIngress: '"192.168.0.0/16"', targetIngressPort: 9000 }));
  const blocked = r.paths[0].hops.filter((h) => h.verdict === 'blocked').map((h) => h.kind);
  assert.deepEqual(blocked, ['endpointSg', 'nlbSg', 'targetSg']);
});

test('an endpoint whose service name is a variable without default is unknown (PL035), not an error', () => {
  const files = tfWorkspace();
  files['/ws/consumer.tf'] = files['/ws/consumer.tf'].replace('aws_vpc_endpoint_service.api.service_name', 'var.service_name') + '\nvariable "service_name" {}\n';
  const r = analyzeFiles(files);
  const pl035 = findingsOf(r.findings, 'PL035').filter((f) => f.message.includes('aws_vpc_endpoint.api'));
  assert.equal(pl035.length, 1);
  assert.match(pl035[0].message, /variable "service_name" has no default/);
  assert.equal(r.findings.filter((f) => f.severity === 'error').length, 0);
});

test('a declared link (annotation) connects an endpoint to a service in another folder', () => {
  const base = tfWorkspace({ endpointIngress: '' });
  const files: Record<string, string> = {
    '/ws/consumer/net.tf': base['/ws/net.tf'],
    '/ws/consumer/main.tf': base['/ws/consumer.tf']
      .replace('service_name       = aws_vpc_endpoint_service.api.service_name', 'service_name       = var.service_name')
      .replace('resource "aws_vpc_endpoint" "api"', '# privatelink-lens: service = ../provider/main.tf#aws_vpc_endpoint_service.api\nresource "aws_vpc_endpoint" "api"') + '\nvariable "service_name" {}\n',
    '/ws/provider/net.tf': base['/ws/net.tf'],
    '/ws/provider/main.tf': base['/ws/provider.tf'],
  };
  const r = analyzeFiles(files);
  const withEndpoint = r.paths.filter((p) => p.hops.some((h) => h.kind === 'endpoint'));
  assert.equal(withEndpoint.length, 1);
  assert.equal(withEndpoint[0].hops.find((h) => h.kind === 'endpointSg')!.verdict, 'blocked');
  assert.equal(findingsOf(r.findings, 'PL002').length, 1);
  // The same through the setting instead of the comment.
  files['/ws/consumer/main.tf'] = files['/ws/consumer/main.tf'].replace(/# privatelink-lens: service = .*\n/, '');
  const viaSetting = analyzeFiles(files, { links: [{ endpoint: 'consumer/main.tf#aws_vpc_endpoint.api', service: '/ws/provider/main.tf#aws_vpc_endpoint_service.api' }] });
  assert.equal(findingsOf(viaSetting.findings, 'PL002').length, 1);
});

test('settings turn a rule off or change its severity; an ignore comment silences one finding', () => {
  const files = tfWorkspace({ endpointIngress: '' });
  assert.deepEqual(findingsOf(analyzeFiles(files, { rules: { PL002: 'off' } }).findings, 'PL002'), []);
  assert.equal(findingsOf(analyzeFiles(files, { rules: { PL002: 'warning' } }).findings, 'PL002')[0].severity, 'warning');
  files['/ws/consumer.tf'] = files['/ws/consumer.tf'].replace('resource "aws_security_group" "endpoint"', '# privatelink-lens-ignore PL002 clients come through a proxy\nresource "aws_security_group" "endpoint"');
  assert.deepEqual(findingsOf(analyzeFiles(files).findings, 'PL002'), []);
});

test('PL022: an NLB rule that references the consumer SG is replaced by the consumer CIDR', () => {
  const files = tfWorkspace();
  files['/ws/provider.tf'] = files['/ws/provider.tf'].replace('cidr_blocks = ["10.1.0.0/16"]', 'security_groups = [aws_security_group.client.id]');
  const r = analyzeFiles(files);
  const pl022 = findingsOf(r.findings, 'PL022');
  assert.equal(pl022.length, 1, JSON.stringify(r.findings.map((f) => f.ruleId)));
  assert.deepEqual(findingsOf(r.findings, 'PL021'), []);
  const [replace, off] = pl022[0].fixes;
  assert.equal(replace.preferred, true);
  assert.equal(replace.edits[0].newText, 'cidr_blocks = ["10.1.1.0/24"]');
  assert.equal(off.preferred, false);
  const fixed = analyzeFiles(applyEdits(files, replace.edits));
  assert.deepEqual(findingsOf(fixed.findings, 'PL022'), []);
  assert.deepEqual(findingsOf(fixed.findings, 'PL021'), []);
  assert.equal(fixed.paths[0].verdict, 'open');
});
