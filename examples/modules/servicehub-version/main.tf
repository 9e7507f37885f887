# A Service Hub version implemented the way a platform team wants every
# version implemented: one Gateway Service named <service>-<version>, routes
# named after it, and the version's status read back once they exist.

resource "servicehub_implementation" "this" {
  service = var.service
  version = var.service_version
  name    = "${var.service}-${var.service_version}"
  url     = var.upstream_url
  tags    = var.tags
}

resource "servicehub_route" "this" {
  for_each = var.routes

  implementation_id = servicehub_implementation.this.id
  name              = "${var.service}-${var.service_version}-${each.key}"
  paths             = each.value.paths
  methods           = each.value.methods
  hosts             = each.value.hosts
  tags              = var.tags
}

data "servicehub_version_status" "this" {
  service = servicehub_implementation.this.service
  version = servicehub_implementation.this.version

  depends_on = [servicehub_route.this]
}
