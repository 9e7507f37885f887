# Terraform 1.12 and later: by identity, the API's id in the catalog.
import {
  to = servicehub_service_version.payments_v1
  identity = {
    id = "0f8c2a8e-5b7d-4e21-9c3a-6d1e4f2b7a90"
  }
}
