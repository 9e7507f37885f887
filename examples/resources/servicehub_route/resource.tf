resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal:8080"
}

# GET and POST /payments/... reach the implementation as /... (strip_path
# defaults to true).
resource "servicehub_route" "payments" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "payments"
  methods           = ["GET", "POST"]
  paths             = ["/payments"]
}

# Another route of the same implementation: HTTPS only, matched on host,
# a regex path and a header, with the path passed on unchanged.
resource "servicehub_route" "payments_v1_api" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "payments-v1-api"
  protocols         = ["https"]
  hosts             = ["api.example.com", "*.payments.example.com"]
  paths             = ["~/v1/payments/\\d+$"]
  headers = {
    x-api-version = ["1"]
  }
  strip_path                 = false
  preserve_host              = true
  regex_priority             = 10
  https_redirect_status_code = 308
  tags                       = ["team-payments"]
}

# A TCP route: stream protocols match on addresses instead of paths.
resource "servicehub_implementation" "ledger_db" {
  service = "ledger-db"
  version = "v1"
  name    = "ledger-db-v1"
  url     = "tcp://ledger-db.internal:5432"
}

resource "servicehub_route" "ledger_db" {
  implementation_id = servicehub_implementation.ledger_db.id
  name              = "ledger-db"
  protocols         = ["tcp"]
  destinations      = [{ port = 5432 }]
  sources           = [{ ip = "10.0.0.0/8" }]
}
