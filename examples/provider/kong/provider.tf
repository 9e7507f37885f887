# Kong Gateway (OSS): its Admin API.
provider "servicehub" {
  admin_url = "http://localhost:8001"
  proxy_url = "http://localhost:8000"
}
