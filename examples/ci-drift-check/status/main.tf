# The status of payments v1, in a configuration of its own: its counts
# change with every request, so it is read here and never drift-checked.
terraform {
  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}

provider "servicehub" {}

data "servicehub_version_status" "payments_v1" {
  service = "payments"
  version = "v1"
}

output "payments_v1_implemented" {
  value = data.servicehub_version_status.payments_v1.implemented
}

output "payments_v1_status_codes" {
  value = data.servicehub_version_status.payments_v1.status_codes
}

output "payments_v1_total_requests" {
  value = data.servicehub_version_status.payments_v1.total_requests
}
