# A version made in the Konnect UI, looked up by service and version (or
# by id), and implemented here.
data "servicehub_service_version" "orders_v2" {
  service = "orders"
  version = "v2"
}

resource "servicehub_implementation" "orders_v2" {
  service_version_id = data.servicehub_service_version.orders_v2.id
  name               = "orders-v2"
  url                = "http://orders.internal:8080"
}
