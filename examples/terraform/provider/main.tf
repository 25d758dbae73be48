# Provider side: internal NLB -> TCP 443 listener -> target group on 8443 -> two instances.

provider "aws" {
  alias  = "provider"
  region = "eu-west-1"
}

variable "consumer_cidr" {
  description = "The consumer VPC, whose private IPs reach the NLB through PrivateLink."
  default     = "10.1.0.0/16"
}

resource "aws_vpc" "provider" {
  provider             = aws.provider
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  provider             = aws.provider
  vpc_id               = aws_vpc.provider.id
  cidr_block           = "10.0.1.0/24"
  availability_zone_id = "euw1-az1"
}

resource "aws_subnet" "b" {
  provider             = aws.provider
  vpc_id               = aws_vpc.provider.id
  cidr_block           = "10.0.2.0/24"
  availability_zone_id = "euw1-az2"
}

resource "aws_security_group" "nlb" {
  provider    = aws.provider
  name_prefix = "api-nlb-"
  description = "NLB in front of the API"
  vpc_id      = aws_vpc.provider.id

  ingress {
    description = "PrivateLink consumers"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.consumer_cidr]
  }

  egress {
    description     = "To the API instances"
    from_port       = 8080
    to_port         = 8443
    protocol        = "tcp"
    security_groups = [aws_security_group.api.id]
  }
}

resource "aws_security_group" "api" {
  provider    = aws.provider
  name_prefix = "api-"
  description = "API instances"
  vpc_id      = aws_vpc.provider.id
}

# Traffic from the NLB on 8443; the health checks on 8080 have no rule.
resource "aws_vpc_security_group_ingress_rule" "api_from_nlb" {
  provider                     = aws.provider
  security_group_id            = aws_security_group.api.id
  referenced_security_group_id = aws_security_group.nlb.id
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
  description                  = "From the NLB"
}

resource "aws_instance" "api" {
  count                  = 2
  provider               = aws.provider
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = count.index == 0 ? aws_subnet.a.id : aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.api.id]
}

resource "aws_lb" "api" {
  provider           = aws.provider
  name               = "api"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
  security_groups    = [aws_security_group.nlb.id]
}

resource "aws_lb_target_group" "api" {
  provider    = aws.provider
  name        = "api"
  port        = 8443
  protocol    = "TCP"
  vpc_id      = aws_vpc.provider.id
  target_type = "instance"

  health_check {
    port     = "8080"
    protocol = "TCP"
  }
}

resource "aws_lb_target_group_attachment" "api" {
  count            = 2
  provider         = aws.provider
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.api[count.index].id
}

resource "aws_lb_listener" "api" {
  provider          = aws.provider
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_vpc_endpoint_service" "api" {
  provider                   = aws.provider
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.api.arn]
  allowed_principals         = ["arn:aws:iam::111122223333:root"]
}

output "service_name" {
  value = aws_vpc_endpoint_service.api.service_name
}
