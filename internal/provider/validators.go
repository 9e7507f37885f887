package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// The provider's own rules on single values. Kong's rules on entities are
// not here: ValidateConfig applies them through kongschema.PlanCheck.

// ruleValidator adapts a rule of the provider's domain (servicehub) to a
// plan-time string validator.
type ruleValidator struct {
	desc  string
	check func(string) error
}

var _ validator.String = ruleValidator{}

func (v ruleValidator) Description(context.Context) string         { return v.desc }
func (v ruleValidator) MarkdownDescription(context.Context) string { return v.desc }

func (v ruleValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
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
	serviceRule = ruleValidator{"must be usable in a Kong tag", servicehub.ValidateServiceName}
	versionRule = ruleValidator{"must be usable in a Kong tag", servicehub.ValidateVersion}
	userTagRule = ruleValidator{"must not start with \"servicehub:\" nor be \"managed-by-ingress-controller\"", servicehub.ValidateUserTag}
)

type adminURLValidator struct{}

func (adminURLValidator) Description(context.Context) string {
	return "must be an absolute http or https URL"
}
func (v adminURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (adminURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := servicehub.ParseAdminURL(req.ConfigValue.ValueString()); err != nil {
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
