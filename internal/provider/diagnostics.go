package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// addKongError turns a failed call into diagnostics that say what to do,
// attached to the attribute Kong named whenever it named one.
func addKongError(diags *diag.Diagnostics, op string, err error) {
	summary := fmt.Sprintf("Unable to %s implementation", op)

	var versionTaken *servicehub.VersionTakenError
	var nameTaken *servicehub.NameTakenError
	var kerr *kongapi.Error
	switch {
	case errors.As(err, &versionTaken):
		e := versionTaken.Existing
		diags.AddAttributeError(path.Root("version"), "Version already has an implementation",
			fmt.Sprintf("Version %q of service %q already has an implementation in this runtime group: the Gateway Service %q (id %s). "+
				"A version has at most one implementation per runtime group. To manage the existing one, import it:\n\n"+
				"  terraform import servicehub_implementation.<name> %s",
				versionTaken.Version, versionTaken.Service, e.Name, e.ID, importKey(e)))
	case errors.As(err, &nameTaken):
		key := nameTaken.Name
		detail := fmt.Sprintf("A Gateway Service named %q already exists in this runtime group", nameTaken.Name)
		if nameTaken.ID != "" {
			detail += fmt.Sprintf(" (id %s)", nameTaken.ID)
		}
		diags.AddAttributeError(path.Root("name"), "Gateway Service name already in use",
			detail+". Choose another name, or import it with:\n\n  terraform import servicehub_implementation.<name> "+key)
	case kongapi.IsUnauthorized(err) || kongapi.IsForbidden(err):
		addAccessError(diags, summary, "Gateway Services", err)
	case errors.As(err, &kerr) && kerr.Code == kongapi.CodeForeignKey && kerr.Fields["client_certificate"] != nil:
		// Kong's fields hold the missing id here, not a message.
		diags.AddAttributeError(path.Root("client_certificate_id"), "Certificate not found",
			fmt.Sprintf("There is no certificate with this id in the runtime group: %s "+
				"Upload the client certificate to Kong first, or refer to an existing one.", kerr.Message))
	case errors.As(err, &kerr) && kerr.Fields["@referenced_by"] != nil:
		diags.AddError(summary+": the Gateway Service is still in use",
			fmt.Sprintf("%s\n\nKong refuses to delete a Gateway Service that %v still reference. Remove or move them first.", kerr, kerr.Fields["@referenced_by"]))
	case errors.As(err, &kerr) && len(kerr.Fields) > 0:
		var entity []string
		for _, f := range kerr.FieldErrors() {
			if p, ok := attributePath(f.Path); ok {
				diags.AddAttributeError(p, summary, fmt.Sprintf("Kong rejected %s: %s", f.String(), f.Message))
			} else {
				entity = append(entity, f.String())
			}
		}
		if len(entity) > 0 || !diags.HasError() {
			diags.AddError(summary, fmt.Sprintf("%s\n\n%s", kerr, strings.Join(entity, "\n")))
		}
	default:
		diags.AddError(summary, err.Error())
	}
}

// addAccessError explains Kong refusing a request for its credentials (401)
// or for their permissions (403) on entities, such as "Routes".
func addAccessError(diags *diag.Diagnostics, summary, entities string, err error) {
	var kerr *kongapi.Error
	errors.As(err, &kerr)
	if kerr.StatusCode == http.StatusUnauthorized {
		diags.AddError(summary+": Kong rejected the credentials", fmt.Sprintf("%s\n\n%s", kerr, authHint(err)))
		return
	}
	diags.AddError(summary+": permission denied",
		fmt.Sprintf("%s\n\nThe token is valid but lacks permission for %s in this workspace or control plane.", kerr, entities))
}

// importKey prefers the name, which reads better in an import command.
func importKey(impl servicehub.Implementation) string {
	if impl.Name != "" {
		return impl.Name
	}
	return impl.ID
}

// attributePath maps a Kong field error path to the resource attribute.
func attributePath(p []any) (path.Path, bool) {
	if len(p) == 0 {
		return path.Empty(), false
	}
	field, _ := p[0].(string)
	switch field {
	case "client_certificate":
		return path.Root("client_certificate_id"), true
	case "ca_certificates":
		return listPath(field, p), true
	case "name", "url", "protocol", "host", "port", "path", "retries", "connect_timeout", "write_timeout",
		"read_timeout", "tls_verify", "tls_verify_depth", "enabled", "tags":
		return path.Root(field), true
	}
	return path.Empty(), false
}

// listPath is the list attribute name, or its element when Kong's error
// path indexes one.
func listPath(name string, p []any) path.Path {
	if len(p) > 1 {
		if i, ok := p[1].(int); ok {
			return path.Root(name).AtListIndex(i)
		}
	}
	return path.Root(name)
}
