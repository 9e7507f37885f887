resource "servicehub_service_version" "payments_v1" {
  service     = "payments"
  version     = "v1"
  description = "Payments, first version"
  labels      = { team = "payments" }
}

resource "servicehub_implementation" "payments_v1" {
  service_version_id = servicehub_service_version.payments_v1.id
  name               = "payments-v1"
  url                = "https://payments.internal:8443/api"
  tags               = ["team-payments"]
}

resource "servicehub_implementation" "orders_v1" {
  service = "orders"
  version = "v1"
  name    = "orders-v1"
  host    = "orders.internal"
}

resource "servicehub_route" "payments" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "payments"
  methods           = ["GET", "POST"]
  paths             = ["/payments"]
  headers           = { x-version = ["1"] }
}
