# Quickstart: implement version v1 of the "payments" Service Hub service with a
# Gateway Service and one route, limit it to three requests a minute, then read
# the version's status.
terraform {
  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}

# Reads KONG_ADMIN_URL (default http://localhost:8001), KONG_PROXY_URL and the
# other settings from the environment.
provider "servicehub" {}

variable "upstream_url" {
  description = "Where the implementation sends traffic."
  type        = string
  default     = "http://127.0.0.1:9000"
}

resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = var.upstream_url
}

resource "servicehub_route" "foo" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "foo"
  methods           = ["GET"]
  paths             = ["/foo"]
}

# Three requests a minute on every route of the version: a fourth within the
# minute gets 429 from Kong. Only what differs from the plugin's defaults is
# written; the rest comes from the runtime group's schema.
resource "servicehub_plugin" "rate_limit" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "rate-limiting"
  config = {
    minute = 3
    policy = "local"
  }
}

# Verify the implementation: read the version's status after the route
# exists. Status codes come from the runtime group's Prometheus metrics.
data "servicehub_version_status" "payments_v1" {
  service = servicehub_implementation.payments_v1.service
  version = servicehub_implementation.payments_v1.version

  depends_on = [servicehub_route.foo, servicehub_plugin.rate_limit]
}

output "implemented" {
  value = data.servicehub_version_status.payments_v1.implemented
}

output "routes" {
  value = {
    for r in data.servicehub_version_status.payments_v1.routes : r.name => r.urls
  }
}

output "plugins" {
  value = [for p in data.servicehub_version_status.payments_v1.plugins : "${p.name} on the ${p.scope}"]
}

output "status_codes" {
  value = data.servicehub_version_status.payments_v1.status_codes
}

output "total_requests" {
  value = data.servicehub_version_status.payments_v1.total_requests
}
