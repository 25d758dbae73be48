# Consumer side, in another account: a client instance and an interface endpoint to the provider's service.

provider "aws" {
  alias  = "consumer"
  region = "eu-west-1"
}

variable "service_name" {
  description = "The provider's service name; in real life it comes from remote state or SSM."
  type        = string
}

resource "aws_vpc" "consumer" {
  provider             = aws.consumer
  cidr_block           = "10.1.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app" {
  provider             = aws.consumer
  vpc_id               = aws_vpc.consumer.id
  cidr_block           = "10.1.1.0/24"
  availability_zone_id = "euw1-az1"
}

resource "aws_security_group" "client" {
  provider    = aws.consumer
  name_prefix = "client-"
  description = "The application calling the API"
  vpc_id      = aws_vpc.consumer.id

  egress {
    description     = "To the API endpoint"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.endpoint.id]
  }
}

# The endpoint's group: it should admit the client on 443, but has no ingress rule yet.
resource "aws_security_group" "endpoint" {
  provider    = aws.consumer
  name_prefix = "api-endpoint-"
  description = "Interface endpoint to the API"
  vpc_id      = aws_vpc.consumer.id
}

resource "aws_instance" "client" {
  provider               = aws.consumer
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.client.id]
}

# privatelink-lens: service = ../provider/main.tf#aws_vpc_endpoint_service.api
resource "aws_vpc_endpoint" "api" {
  provider            = aws.consumer
  vpc_id              = aws_vpc.consumer.id
  service_name        = var.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.app.id]
  security_group_ids  = [aws_security_group.endpoint.id]
  private_dns_enabled = false
}
