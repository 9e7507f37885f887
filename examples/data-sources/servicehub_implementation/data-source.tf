# An implementation made elsewhere (in the Konnect UI, with decK, in another
# configuration), looked up by its Service Hub service and version...
data "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
}

# ...or by its Gateway Service's name (or id).
data "servicehub_implementation" "orders" {
  name = "orders-v2"
}

# Add a route to it from this configuration.
resource "servicehub_route" "payments_health" {
  implementation_id = data.servicehub_implementation.payments_v1.id
  name              = "payments-health"
  methods           = ["GET"]
  paths             = ["/payments/health"]
}

output "payments_v1_upstream" {
  value = data.servicehub_implementation.payments_v1.url
}

output "orders_route_ids" {
  value = data.servicehub_implementation.orders.route_ids
}
