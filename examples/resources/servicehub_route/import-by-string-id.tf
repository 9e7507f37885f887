# Take over an existing route by name (case-sensitive) or id.
import {
  to = servicehub_route.payments
  id = "payments"
}
