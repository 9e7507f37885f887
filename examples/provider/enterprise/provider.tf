# Kong Gateway Enterprise: one workspace, with an RBAC token, over TLS.
provider "servicehub" {
  admin_url   = "https://kong-admin.example.com:8444"
  workspace   = "payments"
  admin_token = var.kong_admin_token

  ca_certificate_pem = file("${path.module}/kong-admin-ca.pem")
}

variable "kong_admin_token" {
  type      = string
  sensitive = true
}
