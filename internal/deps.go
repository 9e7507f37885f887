//go:build deps

// Package internal pins the modules the project is built from while the
// packages that use them are being written. Removed once each is imported.
package internal

import (
	_ "github.com/dlclark/regexp2"
	_ "github.com/google/uuid"
	_ "github.com/hashicorp/go-retryablehttp"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	_ "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	_ "github.com/kong/go-kong/kong"
	_ "github.com/prometheus/common/expfmt"
)
