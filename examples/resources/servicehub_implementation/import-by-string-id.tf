# Take over an existing Gateway Service by name (or id). If it has no
# servicehub: tags yet, the first apply adds them in place.
import {
  to = servicehub_implementation.payments_v1
  id = "payments-v1"
}
