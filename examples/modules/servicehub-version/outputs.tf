output "implementation_id" {
  description = "Id of the Gateway Service that implements the version."
  value       = servicehub_implementation.this.id
}

output "implemented" {
  description = "Whether the runtime group reports the version as implemented."
  value       = data.servicehub_version_status.this.implemented
}

output "urls" {
  description = "URLs clients call, by route key."
  value = {
    for key, r in servicehub_route.this : key => flatten([
      for s in data.servicehub_version_status.this.routes : s.urls if s.id == r.id
    ])
  }
}
