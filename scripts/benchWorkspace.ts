/**
 * A generated Terraform workspace for the benchmark (and for the cache equivalence tests): many root
 * modules in team/environment folders, shared local modules, variables, locals, `for_each` and `count`,
 * security groups with inline and standalone rules, VPCs and subnets, interface endpoints, endpoint
 * services, NLBs with listeners, target groups and instances, and the IAM, S3, DNS and monitoring code
 * that surrounds PrivateLink in a real repository. Deterministic: the same seed gives the same bytes.
 *
 * Pure: it returns the files as relative path -> text; the benchmark writes them to disk.
 */

export interface GeneratedWorkspace {
  /** Relative path (forward slashes) -> file text. */
  files: Map<string, string>;
  /** The file the edit benchmark types in, and the two texts it alternates between. */
  edit: { file: string; text: string; port: number; otherPort: number };
}

/** mulberry32: tiny, fast and good enough to vary generated code reproducibly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = ['payments', 'identity', 'search', 'ledger', 'catalog', 'orders', 'billing', 'risk', 'media', 'notify', 'geo', 'ml', 'data', 'edge', 'core', 'infra'];
const ENVS = ['dev', 'staging', 'prod'];
const REGIONS = [
  ['eu-west-1', 'euw1'],
  ['us-east-1', 'use1'],
  ['eu-central-1', 'euc1'],
  ['ap-southeast-2', 'apse2'],
] as const;
const PORTS = [443, 8443, 5432, 6379, 9092, 8080];

/** The shared local modules every stack may call. */
function modules(): Map<string, string> {
  const m = new Map<string, string>();
  m.set(
    'modules/nlb-service/variables.tf',
    `variable "name" {
  description = "Name of the service, used for the load balancer, target group and tags."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer and the targets."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the load balancer (one per Availability Zone)."
  type        = list(string)
}

variable "listener_ports" {
  description = "Ports the load balancer listens on; each forwards to the target port."
  type        = list(number)
  default     = [443]
}

variable "target_port" {
  description = "Port the targets serve on."
  type        = number
  default     = 8443
}

variable "health_check_port" {
  description = "Port of the target group health check."
  type        = string
  default     = "traffic-port"
}

variable "target_ids" {
  description = "Instance ids registered in the target group."
  type        = list(string)
  default     = []
}

variable "consumer_cidrs" {
  description = "CIDRs of the consumers; the NLB security group admits them."
  type        = list(string)
  default     = []
}

variable "allowed_principals" {
  description = "Principals allowed to create endpoints to the service."
  type        = list(string)
  default     = []
}

variable "acceptance_required" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}
`,
  );
  m.set(
    'modules/nlb-service/main.tf',
    `locals {
  common_tags = merge(var.tags, { Module = "nlb-service", Service = var.name })
  listeners   = { for p in var.listener_ports : tostring(p) => p }
}

resource "aws_security_group" "nlb" {
  name_prefix = "\${var.name}-nlb-"
  description = "NLB of \${var.name}"
  vpc_id      = var.vpc_id
  tags        = local.common_tags

  dynamic "ingress" {
    for_each = local.listeners
    content {
      description = "PrivateLink consumers on \${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.consumer_cidrs
    }
  }

  egress {
    description = "To the targets"
    from_port   = var.target_port
    to_port     = var.target_port
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_lb" "this" {
  name                             = var.name
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = var.subnet_ids
  security_groups                  = [aws_security_group.nlb.id]
  enable_cross_zone_load_balancing = true
  tags                             = local.common_tags
}

resource "aws_lb_target_group" "this" {
  name        = var.name
  port        = var.target_port
  protocol    = "TCP"
  vpc_id      = var.vpc_id
  target_type = "instance"

  health_check {
    port     = var.health_check_port
    protocol = "TCP"
  }

  tags = local.common_tags
}

resource "aws_lb_target_group_attachment" "this" {
  count            = length(var.target_ids)
  target_group_arn = aws_lb_target_group.this.arn
  target_id        = var.target_ids[count.index]
}
`,
  );
  m.set(
    'modules/nlb-service/listeners.tf',
    `resource "aws_lb_listener" "this" {
  for_each          = local.listeners
  load_balancer_arn = aws_lb.this.arn
  port              = each.value
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = local.common_tags
}

resource "aws_vpc_endpoint_service" "this" {
  acceptance_required        = var.acceptance_required
  network_load_balancer_arns = [aws_lb.this.arn]
  allowed_principals         = var.allowed_principals
  tags                       = local.common_tags
}
`,
  );
  m.set(
    'modules/nlb-service/outputs.tf',
    `output "service_name" {
  description = "Name consumers give their interface endpoints."
  value       = aws_vpc_endpoint_service.this.service_name
}

output "service_id" {
  value = aws_vpc_endpoint_service.this.id
}

output "nlb_security_group_id" {
  value = aws_security_group.nlb.id
}

output "nlb_arn" {
  value = aws_lb.this.arn
}
`,
  );
  m.set(
    'modules/network/variables.tf',
    `variable "name" {
  type = string
}

variable "cidr_block" {
  type = string
}

variable "subnets" {
  description = "Subnet name -> { cidr, az_id }."
  type = map(object({
    cidr  = string
    az_id = string
  }))
}

variable "tags" {
  type    = map(string)
  default = {}
}
`,
  );
  m.set(
    'modules/network/main.tf',
    `resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "this" {
  for_each             = var.subnets
  vpc_id               = aws_vpc.this.id
  cidr_block           = each.value.cidr
  availability_zone_id = each.value.az_id
  tags                 = merge(var.tags, { Name = "\${var.name}-\${each.key}" })
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "\${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.this
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}
`,
  );
  m.set(
    'modules/network/outputs.tf',
    `output "vpc_id" {
  value = aws_vpc.this.id
}

output "vpc_cidr" {
  value = aws_vpc.this.cidr_block
}

output "subnet_ids" {
  value = [for s in aws_subnet.this : s.id]
}
`,
  );
  return m;
}

interface Stack {
  dir: string;
  kind: 'full' | 'provider' | 'consumer';
  region: (typeof REGIONS)[number];
  /** Second octet of the VPC CIDR. */
  net: number;
  port: number;
  targetPort: number;
  /** For consumers: the provider stack whose service they use (relative path from this stack). */
  providerRel?: string;
}

/**
 * Generates the workspace: `files` files in total (at least the shared modules and one stack), about
 * 2.5 KB each on average.
 */
export function generateWorkspace(totalFiles = 10_000, seed = 1): GeneratedWorkspace {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const files = modules();
  const stacks: Stack[] = [];
  const providers: Stack[] = [];
  let n = 0;
  let edit: GeneratedWorkspace['edit'] | undefined;
  while (files.size < totalFiles) {
    const team = TEAMS[n % TEAMS.length];
    const env = ENVS[Math.floor(n / TEAMS.length) % ENVS.length];
    const dir = `teams/${team}/${env}/stack-${String(n).padStart(4, '0')}`;
    // The first stack is always a full one: the edit benchmark types in its endpoint security group.
    const kind: Stack['kind'] = n === 0 ? 'full' : providers.length === 0 || rand() < 0.35 ? 'provider' : rand() < 0.55 ? 'consumer' : 'full';
    const s: Stack = { dir, kind, region: pick(REGIONS), net: n % 250, port: n === 0 ? 443 : pick(PORTS), targetPort: 8000 + (n % 50) };
    if (kind === 'consumer') {
      const p = providers[Math.floor(rand() * providers.length)];
      s.providerRel = relative(dir, p.dir);
      s.port = p.port;
    }
    if (kind === 'provider') providers.push(s);
    stacks.push(s);
    const budget = totalFiles - files.size;
    const out = stackFiles(s, rand, Math.min(budget, 18 + Math.floor(rand() * 14)));
    for (const [name, text] of out) files.set(`${dir}/${name}`, text);
    if (n === 0) {
      const file = `${dir}/sg_endpoint.tf`;
      edit = { file, text: files.get(file)!, port: s.port, otherPort: s.port + 1 };
    }
    n++;
  }
  return { files, edit: edit! };
}

function relative(from: string, to: string): string {
  const a = from.split('/');
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** The files of one root module; `count` is how many (the PrivateLink core plus surrounding code). */
function stackFiles(s: Stack, rand: () => number, count: number): [string, string][] {
  const out: [string, string][] = [];
  const name = s.dir.split('/').slice(1).join('-');
  const [region, az] = s.region;
  const cidr = `10.${s.net}.0.0/16`;
  out.push([
    'providers.tf',
    `terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket         = "acme-terraform-state-${region}"
    key            = "${s.dir}/terraform.tfstate"
    region         = "${region}"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
`,
  ]);
  out.push([
    'variables.tf',
    `variable "region" {
  description = "AWS Region of the stack."
  type        = string
  default     = "${region}"
}

variable "environment" {
  description = "dev, staging or prod."
  type        = string
}

variable "service_port" {
  description = "Port the service is reached on through PrivateLink."
  type        = number
  default     = ${s.port}
}

variable "instance_count" {
  type    = number
  default = 2
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "owner" {
  type    = string
  default = "platform"
}
`,
  ]);
  out.push([
    'terraform.tfvars',
    `environment    = "${s.dir.split('/')[2]}"
instance_count = ${1 + Math.floor(rand() * 3)}
owner          = "${s.dir.split('/')[1]}"
`,
  ]);
  out.push([
    'locals.tf',
    `locals {
  name = "${name}"
  tags = {
    Environment = var.environment
    Owner       = var.owner
    Stack       = "${name}"
    ManagedBy   = "terraform"
  }
  subnets = {
    a = { cidr = "10.${s.net}.1.0/24", az_id = "${az}-az1" }
    b = { cidr = "10.${s.net}.2.0/24", az_id = "${az}-az2" }
    c = { cidr = "10.${s.net}.3.0/24", az_id = "${az}-az3" }
  }
  consumer_cidrs = ["${cidr}", "10.${(s.net + 1) % 250}.0.0/16", "10.${(s.net + 2) % 250}.0.0/16"]
}
`,
  ]);
  out.push([
    'network.tf',
    `module "network" {
  source     = "${relative(s.dir, 'modules/network')}"
  name       = local.name
  cidr_block = "${cidr}"
  subnets    = local.subnets
  tags       = local.tags
}
`,
  ]);
  if (s.kind !== 'consumer') {
    out.push([
      'sg_app.tf',
      `resource "aws_security_group" "app" {
  name_prefix = "\${local.name}-app-"
  description = "Application instances behind the load balancer"
  vpc_id      = module.network.vpc_id

  egress {
    description = "HTTPS to AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "app_traffic" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "${cidr}"
  ip_protocol       = "tcp"
  from_port         = ${s.targetPort}
  to_port           = ${s.targetPort}
  description       = "Traffic from the NLB"
}

resource "aws_security_group_rule" "app_health" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = ${s.targetPort}
  to_port           = ${s.targetPort}
  protocol          = "tcp"
  cidr_blocks       = ["${cidr}"]
  description       = "Health checks from the NLB"
}
`,
    ]);
    out.push([
      'instances.tf',
      `data "aws_ami" "app" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

resource "aws_instance" "app" {
  count                  = var.instance_count
  ami                    = "ami-0${(s.net * 7919).toString(16).padStart(16, '0')}"
  instance_type          = var.instance_type
  subnet_id              = module.network.subnet_ids[count.index % 3]
  vpc_security_group_ids = [aws_security_group.app.id]
  monitoring             = true

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    volume_size = 30
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(local.tags, { Name = "\${local.name}-app-\${count.index}" })
}
`,
    ]);
    out.push(['service.tf', s.kind === 'full' ? moduleService(s, rand) : inlineService(s, rand)]);
  }
  if (s.kind !== 'provider') {
    out.push([
      'sg_client.tf',
      `resource "aws_security_group" "client" {
  name_prefix = "\${local.name}-client-"
  description = "Workloads calling the service"
  vpc_id      = module.network.vpc_id

  egress {
    description     = "To the interface endpoint"
    from_port       = var.service_port
    to_port         = var.service_port
    protocol        = "tcp"
    security_groups = [aws_security_group.endpoint.id]
  }
}

resource "aws_instance" "client" {
  count                  = 2
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = module.network.subnet_ids[count.index]
  vpc_security_group_ids = [aws_security_group.client.id]
  tags                   = merge(local.tags, { Name = "\${local.name}-client-\${count.index}" })
}
`,
    ]);
    out.push([
      'sg_endpoint.tf',
      `resource "aws_security_group" "endpoint" {
  name_prefix = "\${local.name}-vpce-"
  description = "Interface endpoint to the service"
  vpc_id      = module.network.vpc_id

  ingress {
    description     = "Clients of the service"
    from_port       = ${s.port}
    to_port         = ${s.port}
    protocol        = "tcp"
    security_groups = [aws_security_group.client.id]
  }
}
`,
    ]);
    const serviceName =
      s.kind === 'full'
        ? `  service_name        = module.service.service_name`
        : `  service_name        = data.terraform_remote_state.provider.outputs.service_name`;
    const annotation = s.kind === 'consumer' ? `# privatelink-lens: service = ${s.providerRel}/service.tf#aws_vpc_endpoint_service.api\n` : '';
    out.push([
      'endpoint.tf',
      `${
        s.kind === 'consumer'
          ? `data "terraform_remote_state" "provider" {
  backend = "s3"
  config = {
    bucket = "acme-terraform-state-${region}"
    key    = "${s.dir}/../provider.tfstate"
    region = "${region}"
  }
}

`
          : ''
      }${annotation}resource "aws_vpc_endpoint" "service" {
  vpc_id              = module.network.vpc_id
${serviceName}
  vpc_endpoint_type   = "Interface"
  subnet_ids          = module.network.subnet_ids
  security_group_ids  = [aws_security_group.endpoint.id]
  private_dns_enabled = false
  tags                = merge(local.tags, { Name = "\${local.name}-service" })
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = module.network.vpc_id
  service_name      = "com.amazonaws.\${var.region}.s3"
  vpc_endpoint_type = "Gateway"
}
`,
    ]);
  }
  // The code around PrivateLink: most of a real repository's files.
  let i = 0;
  while (out.length < count) {
    const k = i % 6;
    const suffix = String(Math.floor(i / 6)).padStart(2, '0');
    if (k === 0) out.push([`iam_${suffix}.tf`, iamFile(suffix, rand)]);
    else if (k === 1) out.push([`s3_${suffix}.tf`, s3File(suffix, rand)]);
    else if (k === 2) out.push([`monitoring_${suffix}.tf`, monitoringFile(suffix, rand)]);
    else if (k === 3) out.push([`dns_${suffix}.tf`, dnsFile(suffix, rand, s.net)]);
    else if (k === 4) out.push([`outputs_${suffix}.tf`, outputsFile(suffix, s.kind)]);
    else out.push([`config_${suffix}.tf`, configFile(suffix, rand)]);
    i++;
  }
  return out.slice(0, count);
}

/** A full stack offers its service through the shared module. */
function moduleService(s: Stack, rand: () => number): string {
  return `# The service this stack offers over PrivateLink.
module "service" {
  source              = "${relative(s.dir, 'modules/nlb-service')}"
  name                = local.name
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.subnet_ids
  listener_ports      = [var.service_port]
  target_port         = ${s.targetPort}
  target_ids          = aws_instance.app[*].id
  consumer_cidrs      = local.consumer_cidrs
  acceptance_required = ${rand() < 0.8 ? 'true' : 'false'}
  allowed_principals  = ["arn:aws:iam::${principal(s)}:root"]
  tags                = local.tags
}

output "service_name" {
  value = module.service.service_name
}
`;
}

function principal(s: Stack): string {
  return String(100000000000 + s.net * 7919);
}

/** A provider stack writes its load balancer out, with standalone rules on the NLB security group. */
function inlineService(s: Stack, rand: () => number): string {
  const extra = PORTS.filter((p) => p !== s.port && rand() < 0.25);
  const ports = [s.port, ...extra];
  return `locals {
  listener_ports = { ${ports.map((p) => `"${p}" = ${p}`).join(', ')} }
}

resource "aws_security_group" "nlb" {
  name_prefix = "\${local.name}-nlb-"
  description = "NLB of the service"
  vpc_id      = module.network.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "nlb_consumers" {
  for_each          = toset(local.consumer_cidrs)
  security_group_id = aws_security_group.nlb.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = ${Math.min(...ports)}
  to_port           = ${Math.max(...ports)}
  description       = "PrivateLink consumers"
}

resource "aws_vpc_security_group_egress_rule" "nlb_targets" {
  security_group_id            = aws_security_group.nlb.id
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = ${s.targetPort}
  to_port                      = ${s.targetPort}
  description                  = "To the targets"
}

resource "aws_lb" "api" {
  name               = substr(local.name, 0, 32)
  internal           = true
  load_balancer_type = "network"
  subnets            = module.network.subnet_ids
  security_groups    = [aws_security_group.nlb.id]
  tags               = local.tags
}

resource "aws_lb_target_group" "api" {
  name        = substr("\${local.name}-tg", 0, 32)
  port        = ${s.targetPort}
  protocol    = "TCP"
  vpc_id      = module.network.vpc_id
  target_type = "instance"

  health_check {
    port                = "traffic-port"
    protocol            = "TCP"
    healthy_threshold   = 3
    unhealthy_threshold = 3
  }
}

resource "aws_lb_target_group_attachment" "api" {
  count            = var.instance_count
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.app[count.index].id
}

resource "aws_lb_listener" "api" {
  for_each          = local.listener_ports
  load_balancer_arn = aws_lb.api.arn
  port              = each.value
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = ${rand() < 0.7 ? 'true' : 'false'}
  network_load_balancer_arns = [aws_lb.api.arn]
  tags                       = local.tags
}

resource "aws_vpc_endpoint_service_allowed_principal" "consumers" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.api.id
  principal_arn           = "arn:aws:iam::${principal(s)}:root"
}

output "service_name" {
  value = aws_vpc_endpoint_service.api.service_name
}
`;
}

function iamFile(id: string, rand: () => number): string {
  return (
    `# IAM for the workloads of this stack (${id}). Roles are per purpose; policies stay inline and small.\n\n` +
    ['worker', 'batch', 'deploy', 'reader', 'audit'].map((role) => iamRole(`${role}_${id}`, rand)).join('\n')
  );
}

function iamRole(id: string, rand: () => number): string {
  const actions = ['s3:GetObject', 's3:PutObject', 'kms:Decrypt', 'sqs:SendMessage', 'sqs:ReceiveMessage', 'dynamodb:GetItem', 'dynamodb:Query', 'logs:PutLogEvents'];
  const chosen = actions.filter(() => rand() < 0.5);
  return `data "aws_iam_policy_document" "assume_${id}" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "worker_${id}" {
  name               = "\${local.name}-worker-${id}"
  assume_role_policy = data.aws_iam_policy_document.assume_${id}.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "worker_${id}" {
  name = "worker-${id}"
  role = aws_iam_role.worker_${id}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ${JSON.stringify(chosen.length > 0 ? chosen : ['s3:ListBucket'])}
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_instance_profile" "worker_${id}" {
  name = "\${local.name}-worker-${id}"
  role = aws_iam_role.worker_${id}.name
}
`;
}

function s3File(id: string, rand: () => number): string {
  return ['data', 'logs', 'archive'].map((b) => s3Bucket(`${b}_${id}`, rand)).join('\n');
}

function s3Bucket(id: string, rand: () => number): string {
  return `# Data bucket ${id}: versioned, encrypted with KMS, never public, expiring old objects.

resource "aws_s3_bucket_policy" "data_${id}" {
  bucket = aws_s3_bucket.data_${id}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.data_${id}.arn, "\${aws_s3_bucket.data_${id}.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_s3_bucket" "data_${id}" {
  bucket = "\${local.name}-data-${id}"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "data_${id}" {
  bucket = aws_s3_bucket.data_${id}.id
  versioning_configuration {
    status = "${rand() < 0.7 ? 'Enabled' : 'Suspended'}"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data_${id}" {
  bucket = aws_s3_bucket.data_${id}.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "data_${id}" {
  bucket                  = aws_s3_bucket.data_${id}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "data_${id}" {
  bucket = aws_s3_bucket.data_${id}.id

  rule {
    id     = "expire-old"
    status = "Enabled"

    expiration {
      days = ${30 * (1 + Math.floor(rand() * 12))}
    }
  }
}
`;
}

function monitoringFile(id: string, rand: () => number): string {
  const alarms = ['UnHealthyHostCount', 'HealthyHostCount', 'ProcessedBytes', 'NewFlowCount', 'TCP_Target_Reset_Count', 'TCP_Client_Reset_Count', 'TCP_ELB_Reset_Count', 'ActiveFlowCount', 'PeakPacketsPerSecond'];
  let out = `locals {
  alarm_thresholds_${id} = {
${alarms.map((a) => `    ${a} = ${Math.floor(rand() * 100)}`).join('\n')}
  }
}

resource "aws_sns_topic" "alerts_${id}" {
  name = "\${local.name}-alerts-${id}"
  tags = local.tags
}

`;
  for (const a of alarms) {
    out += `resource "aws_cloudwatch_metric_alarm" "${a.toLowerCase()}_${id}" {
  alarm_name          = "\${local.name}-${a}-${id}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = ${1 + Math.floor(rand() * 5)}
  metric_name         = "${a}"
  namespace           = "AWS/NetworkELB"
  period              = 60
  statistic           = "Maximum"
  threshold           = local.alarm_thresholds_${id}["${a}"]
  alarm_description   = "${a} of the service NLB"
  alarm_actions       = [aws_sns_topic.alerts_${id}.arn]
  tags                = local.tags
}

`;
  }
  return out;
}

function dnsFile(id: string, rand: () => number, net: number): string {
  const owners = ['payments', 'identity', 'search', 'platform', 'data'];
  const records = Array.from({ length: 15 + Math.floor(rand() * 20) }, (_, i) => {
    const check = rand() < 0.2;
    return `    "svc${i}" = { ip = "10.${net}.${1 + (i % 3)}.${10 + i}", owner = "${owners[i % owners.length]}", check = ${check} } # ${check ? 'health-checked' : 'internal only'}`;
  });
  return `# Private DNS for the stack's internal names (${id}); the records point at fixed private IPs.
# Records with check = true get a Route 53 health check; the others are internal only.

locals {
  records_${id} = {
${records.join('\n')}
  }
}

resource "aws_route53_zone" "internal_${id}" {
  name = "\${local.name}-${id}.internal"

  vpc {
    vpc_id = module.network.vpc_id
  }

  tags = local.tags
}

resource "aws_route53_record" "svc_${id}" {
  for_each = local.records_${id}
  zone_id  = aws_route53_zone.internal_${id}.zone_id
  name     = "\${each.key}.\${aws_route53_zone.internal_${id}.name}"
  type     = "A"
  ttl      = 300
  records  = [each.value.ip]
}

resource "aws_route53_health_check" "svc_${id}" {
  for_each          = { for k, v in local.records_${id} : k => v if v.check }
  ip_address        = each.value.ip
  port              = 443
  type              = "TCP"
  failure_threshold = 3
  request_interval  = 30
  tags              = merge(local.tags, { Name = each.key, Owner = each.value.owner })
}
`;
}

/** Application settings as SSM parameters: a large literal map, typical of configuration stacks. */
function configFile(id: string, rand: () => number): string {
  const keys = ['timeout_ms', 'retries', 'pool_size', 'batch_size', 'cache_ttl', 'log_level', 'feature_flags', 'max_connections', 'queue_depth', 'region_affinity', 'idle_timeout_ms', 'backoff_ms', 'circuit_threshold', 'shard_count', 'worker_threads', 'gc_interval_s', 'compression', 'read_ahead_kb', 'sample_rate', 'drain_timeout_s'];
  const envs = ['dev', 'staging', 'prod'];
  const entries: string[] = [];
  for (const e of envs) {
    for (const k of keys) {
      const v = k === 'log_level' ? `"${['debug', 'info', 'warn'][Math.floor(rand() * 3)]}"` : k === 'feature_flags' ? `"${['a', 'b', 'c', 'd'].filter(() => rand() < 0.5).join(',')}"` : String(Math.floor(rand() * 5000));
      entries.push(`    "${e}/${k}" = ${v}`);
    }
  }
  return `# Runtime configuration (${id}), read by the services at start-up from SSM Parameter Store.

locals {
  settings_${id} = {
${entries.join('\n')}
  }
}

resource "aws_ssm_parameter" "setting_${id}" {
  for_each    = { for k, v in local.settings_${id} : k => v if startswith(k, "\${var.environment}/") }
  name        = "/\${local.name}/${id}/\${each.key}"
  type        = "String"
  value       = tostring(each.value)
  description = "Setting \${each.key} of \${local.name}"
  tags        = local.tags
}

resource "aws_kms_key" "config_${id}" {
  description             = "Encrypts the secure settings of \${local.name} (${id})"
  deletion_window_in_days = 14
  enable_key_rotation     = true
  tags                    = local.tags
}

resource "aws_kms_alias" "config_${id}" {
  name          = "alias/\${local.name}-config-${id}"
  target_key_id = aws_kms_key.config_${id}.key_id
}
`;
}

function outputsFile(id: string, kind: Stack['kind']): string {
  return `# Outputs read by other stacks through remote state (${id}).

output "tags_${id}" {
  description = "The tags every resource of the stack carries."
  value       = local.tags
}

output "region_${id}" {
  value = var.region
}

output "environment_${id}" {
  value = var.environment
}

output "name_${id}" {
  description = "The stack's name, the prefix of every resource name."
  value       = local.name
}

output "subnets_by_name_${id}" {
  description = "The subnets' CIDR blocks by name."
  value       = { for k, v in local.subnets : k => v.cidr }
}

output "availability_zones_${id}" {
  description = "The zone ids the stack's subnets are in."
  value       = distinct([for v in values(local.subnets) : v.az_id])
}

output "vpc_id_${id}" {
  description = "The stack's VPC."
  value       = module.network.vpc_id
}

output "subnet_ids_${id}" {
  value = module.network.subnet_ids
}

output "zone_id_${id}" {
  value = try(aws_route53_zone.internal_${id}.zone_id, null)
}
${
  kind === 'provider'
    ? ''
    : `
output "endpoint_dns_${id}" {
  value = aws_vpc_endpoint.service.dns_entry
}
`
}`;
}
