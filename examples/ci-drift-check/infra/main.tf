# The implementation of payments v1 and its route: what a CI drift check
# plans. Nothing here changes with traffic.
terraform {
  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}

# KONG_ADMIN_URL and the other settings come from the environment.
provider "servicehub" {}

variable "upstream_url" {
  description = "Where the implementation sends traffic."
  type        = string
  default     = "http://payments.internal:8080"
}

resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = var.upstream_url
}

resource "servicehub_route" "payments" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "payments"
  methods           = ["GET"]
  paths             = ["/payments"]
}
