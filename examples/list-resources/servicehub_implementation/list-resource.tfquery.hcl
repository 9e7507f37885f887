# Every implementation of the payments service, with each one's resource,
# so that `terraform query -generate-config-out=generated.tf` can write
# its configuration and import block.
list "servicehub_implementation" "payments" {
  provider         = servicehub
  include_resource = true

  config {
    service = "payments"
  }
}
