terraform {
  required_version = ">= 1.6"

  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}
