# Is version v1 of the payments service implemented in this runtime group,
# where do clients call it, and what has its traffic returned?
data "servicehub_version_status" "payments_v1" {
  service = "payments"
  version = "v1"
}

output "payments_v1_implemented" {
  value = data.servicehub_version_status.payments_v1.implemented
}

# Route URLs are built from the provider's proxy_url (KONG_PROXY_URL).
output "payments_v1_urls" {
  value = flatten(data.servicehub_version_status.payments_v1.routes[*].urls)
}

# Status codes are Kong's Prometheus counters since the Kong node started
# (metrics_url; Kong keeps them once a prometheus plugin has
# status_code_metrics = true), or on Konnect, analytics within time_range.
output "payments_v1_server_errors" {
  value = sum(concat([0], [
    for code, count in data.servicehub_version_status.payments_v1.status_codes : count if tonumber(code) >= 500
  ]))
}

output "payments_v1_total_requests" {
  value = data.servicehub_version_status.payments_v1.total_requests
}
