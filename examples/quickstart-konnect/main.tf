# Quickstart on Konnect: version v1 of the "payments" service in the API
# Catalog, implemented by a Gateway Service linked to it there, with one
# route; then the version's status from Konnect analytics.
terraform {
  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}

# Reads KONG_ADMIN_URL (the control plane's
# https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities URL),
# KONNECT_TOKEN and KONG_PROXY_URL from the environment. The catalog and
# analytics are reached at the same https://<region>.api.konghq.com.
provider "servicehub" {}

variable "upstream_url" {
  description = "Where the implementation sends traffic."
  type        = string
  default     = "http://127.0.0.1:9000"
}

resource "servicehub_service_version" "payments_v1" {
  service     = "payments"
  version     = "v1"
  description = "Payments API"
  labels      = { team = "payments" }

  spec_content = <<-EOT
    openapi: 3.0.3
    info:
      title: Payments
      version: v1
    paths:
      /foo:
        get:
          responses:
            "200":
              description: OK
  EOT
}

# service and version come from the catalog version.
resource "servicehub_implementation" "payments_v1" {
  service_version_id = servicehub_service_version.payments_v1.id
  name               = "payments-v1"
  url                = var.upstream_url
}

resource "servicehub_route" "foo" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "foo"
  methods           = ["GET"]
  paths             = ["/foo"]
}

# Verify the implementation: its routes, and its traffic by status code
# over the last 15 minutes, from Konnect analytics.
data "servicehub_version_status" "payments_v1" {
  service_version_id = servicehub_service_version.payments_v1.id
  time_range         = "15m"

  depends_on = [servicehub_route.foo]
}

output "service_version_id" {
  value = servicehub_service_version.payments_v1.id
}

output "implemented" {
  value = data.servicehub_version_status.payments_v1.implemented
}

output "routes" {
  value = {
    for r in data.servicehub_version_status.payments_v1.routes : r.name => r.urls
  }
}

output "status_source" {
  value = data.servicehub_version_status.payments_v1.status_source
}

output "status_codes" {
  value = data.servicehub_version_status.payments_v1.status_codes
}

output "total_requests" {
  value = data.servicehub_version_status.payments_v1.total_requests
}
