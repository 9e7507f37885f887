# Terraform 1.12 and later: by identity, the Gateway Service's id (what
# `terraform query -generate-config-out` writes for the list resource).
import {
  to = servicehub_implementation.payments_v1
  identity = {
    id = "4e3ad2e4-0bc4-4638-8e34-c84a417ba39b"
  }
}
