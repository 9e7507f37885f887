# The routes of every implementation in the runtime group.
list "servicehub_route" "all" {
  provider         = servicehub
  include_resource = true
}

# The routes of one implementation.
list "servicehub_route" "payments_v1" {
  provider = servicehub

  config {
    implementation_id = "4e3ad2e4-0bc4-4638-8e34-c84a417ba39b"
  }
}
