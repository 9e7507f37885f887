# Konnect: a control plane's core entities, with a personal or system
# access token. The API Catalog and analytics are reached at the same
# https://eu.api.konghq.com.
provider "servicehub" {
  admin_url     = "https://eu.api.konghq.com/v2/control-planes/${var.control_plane_id}/core-entities"
  konnect_token = var.konnect_token
}

variable "control_plane_id" {
  type = string
}

variable "konnect_token" {
  type      = string
  sensitive = true
}
