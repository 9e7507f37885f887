variable "service" {
  description = "Service Hub service, e.g. payments."
  type        = string
}

variable "service_version" {
  description = "Version of the service to implement, e.g. v1."
  type        = string
}

variable "upstream_url" {
  description = "Where the implementation sends traffic."
  type        = string
}

variable "routes" {
  description = "Routes to the implementation, by a short name; each Kong route is named <service>-<version>-<key>."
  type = map(object({
    paths   = list(string)
    methods = optional(list(string))
    hosts   = optional(list(string))
  }))

  validation {
    condition     = length(var.routes) > 0
    error_message = "A version needs at least one route, or no client can call it."
  }
}

variable "tags" {
  description = "Your own tags on the Gateway Service and its routes."
  type        = list(string)
  default     = null
}
