# Terraform 1.12 and later: by identity, the plugin's id.
import {
  to = servicehub_plugin.payments_rate_limit
  identity = {
    id = "5f1c1a2e-7d3b-4c55-9a53-6a0f0d6e9b1c"
  }
}
