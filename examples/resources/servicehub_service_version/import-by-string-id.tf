# Take over a version made in the Konnect UI. The catalog never returns a
# specification, so a configured spec_content is recorded by the first
# apply without replacing the API.
import {
  to = servicehub_service_version.payments_v1
  id = "payments:v1"
}
