package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// addRouteError is addKongError for routes.
func addRouteError(diags *diag.Diagnostics, op string, err error) {
	summary := fmt.Sprintf("Unable to %s route", op)

	var nameTaken *servicehub.RouteNameTakenError
	var kerr *kongapi.Error
	switch {
	case errors.As(err, &nameTaken):
		diags.AddAttributeError(path.Root("name"), "Route name already in use",
			fmt.Sprintf("%s. Route names are unique in a runtime group and case-sensitive (\"foo\" and \"Foo\" are two routes). "+
				"Choose another name, or manage the existing route by importing it:\n\n  terraform import servicehub_route.<name> %s",
				capitalize(nameTaken.Error()), nameTaken.Name))
	case kongapi.IsUnauthorized(err) || kongapi.IsForbidden(err):
		addAccessError(diags, summary, "Routes", err)
	case errors.As(err, &kerr) && kerr.Code == kongapi.CodeForeignKey && kerr.Fields["service"] != nil:
		diags.AddAttributeError(path.Root("implementation_id"), "Implementation not found",
			fmt.Sprintf("There is no Gateway Service with this id in the runtime group: %s. "+
				"Refer to an existing implementation, e.g. implementation_id = servicehub_implementation.<name>.id.", kerr.Message))
	case errors.As(err, &kerr) && len(kerr.Fields) > 0:
		addRouteFieldErrors(diags, summary, "Kong rejected", kerr.FieldErrors())
		if !diags.HasError() {
			diags.AddError(summary, kerr.Error())
		}
	default:
		diags.AddError(summary, err.Error())
	}
}

// addRouteFieldErrors reports Kong's field errors on the attributes they
// name, and the others (entity checks) on the resource. verb starts each
// message: what Kong did, or would do.
func addRouteFieldErrors(diags *diag.Diagnostics, summary, verb string, errs []kongapi.FieldError) {
	snisEntity := false
	for _, f := range errs {
		if len(f.Path) == 0 && strings.HasPrefix(f.Message, "'snis' can only be set") {
			snisEntity = true
		}
	}
	for _, f := range errs {
		switch p, ok := routeAttributePath(f.Path); {
		case len(f.Path) == 0 && strings.HasPrefix(f.Message, "'snis' can only be set"):
			diags.AddAttributeError(path.Root("snis"), summary, fmt.Sprintf("%s the route: %s.", verb, f.Message))
		case snisEntity && fmt.Sprint(f.Path) == "[snis]":
			// "length must be 0": the entity message above says why.
		case len(f.Path) == 0 && strings.HasPrefix(f.Message, "must set "):
			diags.AddError(summary, fmt.Sprintf("%s the route: %s. A route must say which requests it matches.", verb, f.Message))
		case ok:
			diags.AddAttributeError(p, summary, fmt.Sprintf("%s %s: %s.", verb, f.Path[0], strings.TrimSuffix(f.Message, ".")))
		default:
			diags.AddError(summary, fmt.Sprintf("%s the route: %s.", verb, strings.TrimSuffix(f.String(), ".")))
		}
	}
}

// routeAttributePath maps a Kong field error path to the attribute.
func routeAttributePath(p []any) (path.Path, bool) {
	if len(p) == 0 {
		return path.Empty(), false
	}
	field, _ := p[0].(string)
	switch field {
	case "service":
		return path.Root("implementation_id"), true
	case "protocols", "methods", "paths", "hosts", "snis", "tags":
		return listPath(field, p), true
	case "name", "headers", "sources", "destinations", "strip_path", "preserve_host", "regex_priority",
		"path_handling", "https_redirect_status_code", "request_buffering", "response_buffering":
		return path.Root(field), true
	}
	return path.Empty(), false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
