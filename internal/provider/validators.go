package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// kongRule adapts one of Kong's field rules (kongschema, servicehub) to a
// plan-time string validator, so a plan fails with Kong's own message
// before anything is sent.
type kongRule struct {
	desc  string
	check func(string) error
}

var _ validator.String = kongRule{}

func (v kongRule) Description(context.Context) string         { return v.desc }
func (v kongRule) MarkdownDescription(context.Context) string { return v.desc }

func (v kongRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+attrName(req.Path.String()),
			fmt.Sprintf("%s %q is invalid: %s.", attrName(req.Path.String()), req.ConfigValue.ValueString(), strings.TrimSuffix(err.Error(), ".")))
	}
}

// attrName turns a path such as tags[Value("x")] into "tags".
func attrName(p string) string {
	if i := strings.IndexAny(p, "[."); i > 0 {
		return p[:i]
	}
	return p
}

var (
	nameRule    = kongRule{"must be a valid Kong name: alphanumerics, '.', '-', '_', '~' or UTF-8 letters", kongschema.ValidateName}
	hostRule    = kongRule{"must be a hostname, IPv4 or IPv6 address, without a port", kongschema.ValidateHost}
	pathRule    = kongRule{"must be a Kong service path starting with '/'", kongschema.ValidateServicePath}
	serviceRule = kongRule{"must be usable in a Kong tag", servicehub.ValidateServiceName}
	versionRule = kongRule{"must be usable in a Kong tag", servicehub.ValidateVersion}
	tagRule     = kongRule{"must be a valid Kong tag not starting with \"servicehub:\"", servicehub.ValidateUserTag}
	uuidRule    = kongRule{"must be a UUID", validateUUID}
	urlRule     = kongRule{"must be a url Kong accepts, e.g. http://example.com:8080/api", validateServiceURL}
)

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func validateUUID(s string) error {
	if !uuidRE.MatchString(s) {
		return fmt.Errorf("expected a valid UUID")
	}
	return nil
}

// serviceProtocols are Kong's service protocols; ws and wss exist in Kong
// Gateway Enterprise and Konnect only (OSS Kong rejects them itself).
var serviceProtocols = []string{"grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"}

// validateServiceURL applies Kong's url shorthand and then the rules of the
// fields it expands into, reporting every problem as Kong would.
func validateServiceURL(u string) error {
	ep, err := servicehub.ParseURL(u)
	if err != nil {
		return err
	}
	var problems []string
	if !contains(serviceProtocols, ep.Protocol) {
		problems = append(problems, fmt.Sprintf("protocol: expected one of: %s", strings.Join(serviceProtocols, ", ")))
	}
	if ep.Host == "" {
		problems = append(problems, "host: required field missing")
	} else if err := kongschema.ValidateHost(ep.Host); err != nil {
		problems = append(problems, "host: "+err.Error())
	}
	if ep.Port < 0 || ep.Port > 65535 {
		problems = append(problems, "port: value should be between 0 and 65535")
	}
	if ep.Path != nil {
		if err := kongschema.ValidateServicePath(*ep.Path); err != nil {
			problems = append(problems, "path: "+err.Error())
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

type adminURLValidator struct{}

func (adminURLValidator) Description(context.Context) string {
	return "must be an absolute http or https URL"
}
func (v adminURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (adminURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := kongapi.ParseAdminURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Kong Admin API URL", err.Error())
	}
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return `must be a positive duration such as "30s"`
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("%s must be a positive duration such as \"30s\" or \"2m\", got %q.", req.Path, req.ConfigValue.ValueString()))
	}
}
