terraform {
  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}

# Kong Gateway: the Admin API of the runtime group. Every setting can also
# come from the environment (KONG_ADMIN_URL, KONG_WORKSPACE,
# KONG_ADMIN_TOKEN, KONNECT_TOKEN, KONG_TLS_SKIP_VERIFY).
provider "servicehub" {
  admin_url   = "https://kong-admin.example.com:8444"
  workspace   = "payments"
  admin_token = var.kong_admin_token

  ca_certificate_pem = file("${path.module}/kong-admin-ca.pem")

  max_retries     = 5
  request_timeout = "30s"
}

# Konnect: a control plane's core-entities endpoint and a personal or
# system access token. The API catalog (servicehub_service_version) and
# analytics (servicehub_version_status) are reached at the same
# https://eu.api.konghq.com; konnect_url (KONNECT_SERVER_URL) overrides it.
provider "servicehub" {
  alias         = "konnect"
  admin_url     = "https://eu.api.konghq.com/v2/control-planes/${var.control_plane_id}/core-entities"
  konnect_token = var.konnect_token
}

variable "kong_admin_token" {
  type      = string
  sensitive = true
}

variable "konnect_token" {
  type      = string
  sensitive = true
}

variable "control_plane_id" {
  type = string
}
