# Runs with `terraform test` against a real Admin API: scripts/module-test.sh
# starts localkong and sets KONG_ADMIN_URL and KONG_PROXY_URL, which the
# provider reads. Every run applies for real; terraform test destroys
# everything at the end.

variables {
  service         = "payments"
  service_version = "v1"
  upstream_url    = "http://payments.internal:8080"
  routes = {
    public = { paths = ["/payments"], methods = ["GET", "POST"] }
  }
}

run "implements_the_version" {
  assert {
    condition     = output.implemented
    error_message = "The runtime group does not report payments v1 as implemented."
  }

  assert {
    condition     = servicehub_implementation.this.name == "payments-v1" && servicehub_implementation.this.port == 8080
    error_message = "Unexpected Gateway Service: ${servicehub_implementation.this.name}, port ${servicehub_implementation.this.port}."
  }

  assert {
    condition     = servicehub_route.this["public"].name == "payments-v1-public"
    error_message = "Route named ${servicehub_route.this["public"].name}."
  }

  assert {
    condition     = length(output.urls["public"]) == 1 && endswith(output.urls["public"][0], "/payments")
    error_message = "Unexpected URLs: ${jsonencode(output.urls)}."
  }
}

run "adds_a_route_in_place" {
  variables {
    routes = {
      public = { paths = ["/payments"], methods = ["GET", "POST"] }
      admin  = { paths = ["/payments-admin"], hosts = ["admin.example.com"] }
    }
    # Passed as a variable rather than referenced in the assertion, which
    # OpenTofu does not allow.
    first_implementation_id = run.implements_the_version.implementation_id
  }

  assert {
    condition     = output.implementation_id == var.first_implementation_id
    error_message = "The Gateway Service was replaced instead of kept."
  }

  assert {
    condition     = length(output.urls) == 2 && endswith(output.urls["admin"][0], "/payments-admin")
    error_message = "Unexpected URLs: ${jsonencode(output.urls)}."
  }
}

run "rejects_a_version_without_routes" {
  command = plan

  variables {
    routes = {}
  }

  expect_failures = [var.routes]
}
