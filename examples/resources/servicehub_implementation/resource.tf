# Version v1 of the payments service, implemented by a Gateway Service
# reached through a url.
resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "https://payments.internal:8443/api"

  read_timeout = 30000
  tls_verify   = true
  tags         = ["team:payments"]
}

# The same thing with the url's components spelled out; url is then
# computed from them.
resource "servicehub_implementation" "orders_v2" {
  service  = "orders"
  version  = "v2"
  name     = "orders-v2"
  protocol = "http"
  host     = "orders.internal"
  port     = 8080
  path     = "/v2"
  retries  = 3
}
