terraform {
  required_version = ">= 1.8"

  required_providers {
    servicehub = {
      source  = "servicehub/servicehub"
      version = "~> 0.1"
    }
  }
}
