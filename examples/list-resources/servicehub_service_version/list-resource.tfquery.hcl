# The versions of the payments service in Konnect's API Catalog.
list "servicehub_service_version" "payments" {
  provider         = servicehub
  include_resource = true

  config {
    service = "payments"
  }
}
