# Version v1 of the payments service in Konnect's API Catalog, with its
# OpenAPI document. Needs a provider whose admin_url is a Konnect control
# plane.
resource "servicehub_service_version" "payments_v1" {
  service     = "payments"
  version     = "v1"
  description = "Payments API"
  labels = {
    team = "payments"
    tier = "gold"
  }

  spec_content = <<-EOT
    openapi: 3.0.3
    info:
      title: Payments
      version: v1
    paths: {}
  EOT
}

# Implement it: the Gateway Service is linked to the version in the
# catalog, and takes its service and version from it.
resource "servicehub_implementation" "payments_v1" {
  service_version_id = servicehub_service_version.payments_v1.id
  name               = "payments-v1"
  url                = "http://payments.internal:8080"
}
