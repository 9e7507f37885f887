# Every implementation of the payments service in this runtime group.
data "servicehub_implementations" "payments" {
  service = "payments"
}

# Which versions are implemented, and where each sends traffic.
output "payments_upstreams" {
  value = { for i in data.servicehub_implementations.payments.implementations : i.version => i.url }
}

# Every implementation in the runtime group, of any service.
data "servicehub_implementations" "all" {}

output "disabled_implementations" {
  value = [for i in data.servicehub_implementations.all.implementations : i.name if !i.enabled]
}
