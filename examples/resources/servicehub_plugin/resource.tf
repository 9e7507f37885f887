resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal:8080"
}

resource "servicehub_route" "payments" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "payments"
  paths             = ["/payments"]
}

# Three requests a minute per consumer on every route of the version. Only
# what differs from the plugin's defaults needs writing: the rest comes from
# the runtime group's schema and never shows as a diff.
resource "servicehub_plugin" "payments_rate_limit" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "rate-limiting"
  config = {
    minute = 3
    policy = "local"
  }
}

# CORS on one route, with nested values as the plugin's schema has them.
resource "servicehub_plugin" "payments_cors" {
  route_id = servicehub_route.payments.id
  name     = "cors"
  config = {
    origins     = ["https://shop.example.com"]
    methods     = ["GET", "POST"]
    credentials = true
    max_age     = 3600
  }
  protocols = ["https"]
  tags      = ["team-payments"]
}

# Secrets go to config_sensitive, a JSON object merged over config: never
# shown in plans, logs or errors.
variable "redis_password" {
  type      = string
  sensitive = true
  default   = "change-me"
}

resource "servicehub_implementation" "orders_v2" {
  service = "orders"
  version = "v2"
  name    = "orders-v2"
  url     = "http://orders.internal:8080"
}

resource "servicehub_plugin" "orders_rate_limit" {
  implementation_id = servicehub_implementation.orders_v2.id
  name              = "rate-limiting"
  config = {
    hour   = 1000
    policy = "redis"
    redis  = { host = "redis.internal", port = 6379 }
  }
  config_sensitive = jsonencode({ redis = { password = var.redis_password } })
}
