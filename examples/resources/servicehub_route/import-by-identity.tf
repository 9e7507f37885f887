# Terraform 1.12 and later: by identity, the route's id.
import {
  to = servicehub_route.payments
  identity = {
    id = "9b1c2f4e-6d3a-4c1b-8e7f-2a5d0c9e1b34"
  }
}
