package provider

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// Every diagnostic the provider reports about Kong's answers is made here:
// a domain error from servicehub becomes an error that says what to do,
// on the attribute it concerns whenever it concerns one.

// addEntityError reports a failed operation (op: "create", "read", …) on
// one of e's entities.
func addEntityError(diags *diag.Diagnostics, e kongEntity, op string, err error) {
	summary := fmt.Sprintf("Unable to %s %s", op, e.noun)

	var (
		versionTaken *servicehub.VersionTakenError
		reserved     *servicehub.VersionReservedError
		changed      *servicehub.ChangedError
		nameTaken    *servicehub.NameTakenError
		routeTaken   *servicehub.RouteNameTakenError
		access       *servicehub.AccessError
		missing      *servicehub.MissingReferenceError
		rejected     *servicehub.RejectedError
		unsupported  *servicehub.UnsupportedError
		notOwned     *servicehub.NotOwnedError
		inUse        *servicehub.InUseError
		ingress      *servicehub.IngressControllerError
	)
	switch {
	case errors.As(err, &inUse):
		diags.AddError(summary+": others' entities on it", capitalize(err.Error())+".")
	case errors.As(err, &ingress):
		diags.AddError(summary+": the Ingress Controller's", capitalize(err.Error())+
			fmt.Sprintf(". If it is in this state, remove it from state: terraform state rm %s.<name>", e.resource))
	case errors.As(err, &notOwned):
		diags.AddError(summary+": another create's", fmt.Sprintf("%s. Nothing was written.\n\n"+
			"The next refresh removes it from this state, and the plan then creates the %s again, which the other one stands in the way of. "+
			"To manage that one from this configuration instead, remove this one from state (terraform state rm) and import it:\n\n  terraform import %s.<name> %s",
			capitalize(err.Error()), e.noun, e.resource, importKey(notOwned.Other, notOwned.ID)))
	case errors.As(err, &versionTaken):
		other := versionTaken.Existing
		diags.AddAttributeError(path.Root("version"), "Version already has an implementation",
			fmt.Sprintf("Version %q of service %q already has an implementation in this runtime group: the Gateway Service %q (id %s). "+
				"A version has at most one implementation per runtime group. To manage the existing one, import it:\n\n"+
				"  terraform import %s.<name> %s",
				versionTaken.Version, versionTaken.Service, other.Name(), other.ID(), e.resource, importKey(other.Name(), other.ID())))
	case errors.As(err, &reserved):
		diags.AddAttributeError(path.Root("version"), "Version reserved by another implementation's claim", capitalize(reserved.Error())+".")
	case errors.As(err, &changed):
		diags.AddError(summary+": changed outside this run", capitalize(err.Error())+".")
	case errors.As(err, &nameTaken):
		detail := fmt.Sprintf("A Gateway Service named %q already exists in this runtime group", nameTaken.Name)
		if nameTaken.ID != "" {
			detail += fmt.Sprintf(" (id %s)", nameTaken.ID)
		}
		diags.AddAttributeError(path.Root("name"), "Gateway Service name already in use",
			fmt.Sprintf("%s. Choose another name, or import it with:\n\n  terraform import %s.<name> %s", detail, e.resource, nameTaken.Name))
	case errors.As(err, &routeTaken):
		diags.AddAttributeError(path.Root("name"), "Route name already in use",
			fmt.Sprintf("%s. Route names are unique in a runtime group and case-sensitive (\"foo\" and \"Foo\" are two routes). "+
				"Choose another name, or manage the existing route by importing it:\n\n  terraform import %s.<name> %s",
				capitalize(routeTaken.Error()), e.resource, routeTaken.Name))
	case errors.As(err, &unsupported):
		addUnsupported(diags, e, unsupported)
	case errors.As(err, &access):
		addAccessError(diags, summary, e.kongNoun(), access)
	case errors.As(err, &missing) && e.refAttribute(missing.Field) != "":
		attr := e.refAttribute(missing.Field)
		ref := e.refs[attr]
		diags.AddAttributeError(path.Root(attr), ref.title,
			fmt.Sprintf("There is no %s with this id in the runtime group: %s. %s", ref.noun, strings.TrimSuffix(missing.Message, "."), ref.advice))
	case errors.As(err, &rejected) && rejected.ReferencedBy != "":
		diags.AddError(summary+": the Gateway Service is still in use",
			fmt.Sprintf("%s\n\nKong refuses to delete a Gateway Service that %s still reference. Remove or move them first.", err, rejected.ReferencedBy))
	case errors.As(err, &rejected) && len(rejected.Fields) > 0:
		before := diags.ErrorsCount()
		e.addFieldErrors(diags, summary, "Kong rejected", rejected.Fields, nil)
		if diags.ErrorsCount() == before {
			diags.AddError(summary, err.Error())
		}
	default:
		diags.AddError(summary, err.Error())
	}
}

// addFieldErrors reports Kong's errors on the attributes they name, and
// entity-level ones on the resource. verb starts each message: what Kong
// did, or would do. summary "" means a plan-time check: each diagnostic is
// "Invalid <attribute>" (or "Invalid <noun>"). set, when known, holds the
// attributes the configuration sets, which decides where a shorthand's
// errors go.
func (e kongEntity) addFieldErrors(diags *diag.Diagnostics, summary, verb string, errs []kongschema.FieldError, set map[string]bool) {
	hints := map[string]bool{}
	for _, f := range errs {
		if f.Hint != "" {
			hints[f.Hint] = true
		}
	}
	for _, f := range errs {
		field := fieldName(f.Path)
		if len(f.Path) > 0 && e.refAttribute(fmt.Sprint(f.Path[0])) != "" {
			field = e.refAttribute(fmt.Sprint(f.Path[0])) // client_certificate_id, not Kong's client_certificate.id
		}
		msg := strings.TrimSuffix(f.Message, ".")
		if f.Hint != "" {
			msg += ". " + strings.TrimSuffix(strings.Replace(f.Hint, fieldName(f.Path)+" ", field+" ", 1), ".")
		}
		note := e.note(fieldName(f.Path), f.Message, set)
		p, ok := e.attributePath(f.Path, set)
		summary := summary
		if summary == "" {
			summary = "Invalid " + e.noun
			if ok {
				summary = "Invalid " + attrName(p.String())
			}
		}
		switch {
		case len(f.Path) == 0 && len(hints) > 0 && (hints[f.Message] || strings.HasPrefix(f.Message, "failed conditional validation")):
			// The field's own error already says it, with the hint.
		case len(f.Path) == 0:
			diags.AddError(summary, capitalize(verb)+" the "+e.noun+": "+msg+"."+note)
		case !ok:
			diags.AddError(summary, capitalize(verb)+" the "+e.noun+": "+f.String()+"."+note)
		case p.Equal(path.Root(e.shorthand)) && f.Path[0] != e.shorthand:
			diags.AddAttributeError(p, summary, verb+" "+e.shorthand+": "+f.String()+"."+note)
		default:
			diags.AddAttributeError(p, summary, verb+" "+field+": "+msg+"."+note)
		}
	}
}

// addUnsupported reports, on each attribute concerned, a value the
// connected Kong has no field for: nothing was sent.
func addUnsupported(diags *diag.Diagnostics, e kongEntity, err *servicehub.UnsupportedError) {
	for _, f := range err.Features {
		detail := fmt.Sprintf("%s needs %s. The runtime group's Kong is %s (GET / of admin_url), which would refuse it, "+
			"so nothing was sent. Remove it from the configuration, or point admin_url at a Kong that has it.",
			f.What, f.Since, err.Describe())
		if p, ok := e.attributePath([]any{f.Field}, nil); ok {
			diags.AddAttributeError(p, "Not available in this Kong: "+f.What, detail)
			continue
		}
		diags.AddError("Not available in this Kong: "+f.What, detail)
	}
}

// note is what e adds to Kong's message msg about field ("" for the
// entity), if anything. set is nil when the configuration is not known
// (apply time).
func (e kongEntity) note(field, msg string, set map[string]bool) string {
	var out []string
	for _, prefix := range slices.Sorted(maps.Keys(e.notes)) {
		note := e.notes[prefix]
		switch {
		case strings.HasPrefix(msg, prefix):
			out = append(out, note(strings.TrimPrefix(msg, prefix)))
		case field != "" && strings.HasPrefix(field+": "+msg, prefix):
			out = append(out, note(strings.TrimPrefix(field+": "+msg, prefix)))
		}
	}
	for _, attr := range slices.Sorted(maps.Keys(e.defaults)) {
		if def := e.defaults[attr]; set != nil && !set[attr] && strings.Contains(msg, "'"+attr+"'") {
			out = append(out, def)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " " + strings.Join(out, " ")
}

// fieldName is the Kong field a path names, for messages: "paths" for
// paths.1 and "tls_sans.dnsnames" for tls_sans.dnsnames.0, as the
// diagnostic already points at the element.
func fieldName(kongPath []any) string {
	var names []string
	for _, seg := range kongPath {
		if s, ok := seg.(string); ok {
			names = append(names, s)
		}
	}
	return strings.Join(names, ".")
}

// kongNoun is what Kong calls e's entities, for messages about permissions.
func (e kongEntity) kongNoun() string {
	if e.kind == "services" {
		return "Gateway Services"
	}
	return "Routes"
}

// refAttribute is the attribute holding the reference through Kong's field.
func (e kongEntity) refAttribute(field string) string {
	for attr, ref := range e.refs {
		if ref.field == field {
			return attr
		}
	}
	return ""
}

// addAccessError explains Kong refusing a request for its credentials (401)
// or for their permissions (403) on entities, such as "Routes".
func addAccessError(diags *diag.Diagnostics, summary, entities string, err *servicehub.AccessError) {
	if err.Unauthorized() {
		diags.AddError(summary+": Kong rejected the credentials", fmt.Sprintf("%s\n\n%s", err, authHint(err)))
		return
	}
	diags.AddError(summary+": permission denied",
		fmt.Sprintf("%s\n\nThe token is valid but lacks permission for %s in this workspace or control plane.", err, entities))
}

// authHint says which setting to fix after a 401, from what the provider
// sent: the Konnect token, the admin token, or nothing at all.
func authHint(err *servicehub.AccessError) string {
	switch {
	case err.Konnect:
		return "Konnect rejected the access token. Check konnect_token (or the KONNECT_TOKEN environment variable): " +
			"a personal (kpat_…) or system account (spat_…) token that is neither expired nor revoked."
	case err.TokenSent:
		return "Kong rejected the Kong-Admin-Token. Check admin_token (or the KONG_ADMIN_TOKEN environment variable), " +
			"and any token set in headers: it must be the RBAC token of a Kong Gateway admin or user."
	default:
		return "No credentials were sent. Set admin_token (or KONG_ADMIN_TOKEN) for a Kong Gateway with RBAC, " +
			"or konnect_token (or KONNECT_TOKEN) for a Konnect control plane."
	}
}

// addStatusError reports a version status that could not be read at all.
func addStatusError(diags *diag.Diagnostics, err error) {
	var ferr *servicehub.MetricsFormatError
	var access *servicehub.AccessError
	switch {
	case errors.As(err, &ferr):
		diags.AddError("Malformed Kong metrics",
			fmt.Sprintf("%s\n\nmetrics_url (or KONG_METRICS_URL) must point at Kong's Prometheus endpoint, such as the Admin API's "+
				"/metrics or a data plane's Status API /metrics.", err))
	case errors.As(err, &access):
		addAccessError(diags, "Unable to read version status", "Gateway Services and Routes", access)
	default:
		diags.AddError("Unable to read version status", err.Error())
	}
}

// addLookupError reports a lookup of implementations (the data sources)
// that failed, found nothing, or found several where there must be one.
func addLookupError(diags *diag.Diagnostics, err error) {
	var (
		none      *servicehub.NoImplementationError
		ambiguous *servicehub.AmbiguousImplementationError
		access    *servicehub.AccessError
	)
	switch {
	case errors.As(err, &none):
		attr, check := "id", "the id"
		switch {
		case none.Query.Name != "":
			attr, check = "name", "the name"
		case none.Query.Service != "":
			attr, check = "version", "service and version"
		}
		diags.AddAttributeError(path.Root(attr), "No implementation found",
			fmt.Sprintf("%s. Check %s; the data source servicehub_implementations lists the implementations in this runtime group, "+
				"and the provider's admin_url and workspace say which runtime group that is.", capitalize(err.Error()), check))
	case errors.As(err, &ambiguous):
		diags.AddAttributeError(path.Root("version"), "Several implementations of one version",
			fmt.Sprintf("%s, since a version has at most one implementation per runtime group. To read one of them, look it up by name or id.",
				capitalize(err.Error())))
	case errors.As(err, &access):
		addAccessError(diags, "Unable to read implementations", "Gateway Services", access)
	default:
		diags.AddError("Unable to read implementations", err.Error())
	}
}

// addMetricsWarning explains why status_codes is empty: the other results
// stand, so this is no reason to fail a plan.
func addMetricsWarning(diags *diag.Diagnostics, metricsURL string, err error) {
	detail := fmt.Sprintf("status_codes and total_requests are empty: the runtime group's Prometheus metrics could not be read from %s: %s.", metricsURL, err)
	var access *servicehub.AccessError
	switch {
	case servicehub.IsNotFound(err):
		detail += "\n\nThere is no metrics endpoint there. Kong serves /metrics on its Admin API while the prometheus plugin is loaded; " +
			"Konnect control planes serve none. Set metrics_url (or KONG_METRICS_URL) to a data plane's Status API, such as http://<data-plane>:8100/metrics."
	case servicehub.IsUnreachable(err):
		detail += "\n\nNothing answers at that address. Check metrics_url (or KONG_METRICS_URL)."
	case errors.As(err, &access):
		detail += "\n\nThe metrics endpoint refused the provider's credentials (admin_token, konnect_token and headers are sent to it)."
	}
	diags.AddWarning("Status codes unavailable", detail)
}

// importKey prefers the name, which reads better in an import command.
func importKey(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Konnect's API catalog and analytics.

// addCatalogError reports a failed catalog operation; ref is the attribute
// naming the catalog version (service_version_id), or path.Empty() on the
// version's own resource.
func addCatalogError(diags *diag.Diagnostics, summary string, err error) {
	if !catalogError(diags, summary, path.Empty(), err) {
		diags.AddError(summary, err.Error())
	}
}

// catalogError reports err when it is the catalog's; false otherwise, for
// the caller's own reporting.
func catalogError(diags *diag.Diagnostics, summary string, ref path.Path, err error) bool {
	var (
		none        *servicehub.NoCatalogError
		exists      *servicehub.VersionExistsError
		missing     *servicehub.VersionNotFoundError
		rejected    *servicehub.CatalogRejectedError
		implemented *servicehub.VersionImplementedError
		linked      *servicehub.ServiceLinkedError
		notIn       *servicehub.ServiceNotInCatalogError
		unimpl      *servicehub.UnimplementableError
		undone      *servicehub.UndoneError
		access      *servicehub.AccessError
	)
	at := func(title, detail string) {
		if ref.Equal(path.Empty()) {
			diags.AddError(title, detail)
		} else {
			diags.AddAttributeError(ref, title, detail)
		}
	}
	switch {
	case errors.As(err, &undone):
		note := "\n\nNothing was kept: the Gateway Service written before the link was deleted again, and Terraform state holds nothing of it."
		if undone.UndoErr != nil {
			note = fmt.Sprintf("\n\nThe Gateway Service written before the link (id %s) could not be deleted again (%v). "+
				"Terraform records it as tainted, so the next apply deletes it.", undone.ServiceID, undone.UndoErr)
		}
		var inner diag.Diagnostics
		if !catalogError(&inner, summary, ref, undone.Err) {
			inner.AddError(summary, undone.Err.Error())
		}
		for _, d := range inner {
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				diags.AddAttributeError(wp.Path(), d.Summary(), d.Detail()+note)
			} else {
				diags.AddError(d.Summary(), d.Detail()+note)
			}
		}
	case errors.As(err, &none):
		diags.AddError("The API catalog needs a Konnect control plane", capitalize(none.Error())+".")
	case errors.As(err, &exists):
		key := exists.ID
		if key == "" {
			key = exists.Service + ":" + exists.Version
		}
		diags.AddAttributeError(path.Root("version"), "Service version already in the catalog",
			fmt.Sprintf("%s. The catalog keeps one API per service and version. Choose another version, or manage the existing one by importing it:\n\n"+
				"  terraform import servicehub_service_version.<name> %s", capitalize(exists.Error()), key))
	case errors.As(err, &missing):
		at("Service version not found", capitalize(missing.Error())+
			". It may have been deleted in Konnect; look it up with the servicehub_service_version data source, or create it with the resource.")
	case errors.As(err, &implemented):
		detail := capitalize(implemented.Error()) + ". A version has one implementation in the catalog. "
		if implemented.ByName != "" {
			detail += fmt.Sprintf("To manage it, import it:\n\n  terraform import servicehub_implementation.<name> %s", implemented.ByName)
		} else {
			detail += "That Gateway Service is in another control plane: unlink it there first."
		}
		at("Service version already implemented", detail)
	case errors.As(err, &linked):
		at("Gateway Service linked to another API", capitalize(linked.Error())+
			". Remove that link first (in Konnect, or change or remove the service_version_id that made it), then apply again.")
	case errors.As(err, &notIn):
		at("Gateway Service not found by the catalog", capitalize(notIn.Error())+
			".\n\nThe catalog looks the Gateway Service up in the control plane of admin_url. Check that konnect_url (or KONNECT_SERVER_URL), "+
			"when set, names the same Konnect organization and region as admin_url.")
	case errors.As(err, &unimpl):
		at("Service version cannot be implemented", capitalize(unimpl.Error())+".")
	case errors.As(err, &rejected):
		for _, f := range rejected.Fields {
			p, ok := catalogFieldPath(f.Field)
			if ok && ref.Equal(path.Empty()) {
				diags.AddAttributeError(p, summary, "The API catalog rejected "+f.Field+": "+strings.TrimSuffix(f.Reason, ".")+".")
			} else {
				diags.AddError(summary, "The API catalog rejected "+f.Field+": "+strings.TrimSuffix(f.Reason, ".")+".")
			}
		}
	case errors.As(err, &access):
		addAccessError(diags, summary, "the API catalog", access)
	default:
		return false
	}
	return true
}

// addTruncatedWarning says that Konnect analytics' counts are incomplete.
func addTruncatedWarning(diags *diag.Diagnostics, err *servicehub.TruncatedError) {
	diags.AddWarning("Status codes incomplete: Konnect analytics truncated its answer",
		capitalize(err.Error())+". The metrics API has no further pages to read the rest from.")
}

// addAnalyticsWarning explains empty status codes on Konnect: analytics
// gave none, the other results stand.
func addAnalyticsWarning(diags *diag.Diagnostics, err error) {
	cause := err.Error()
	var un *servicehub.AnalyticsUnavailableError
	if errors.As(err, &un) {
		cause = un.Cause()
	}
	diags.AddWarning("Status codes unavailable: "+cause,
		fmt.Sprintf("status_codes and total_requests are empty: Konnect analytics gave no counts (%s). "+
			"The implementation and its routes are still read. Analytics needs Konnect Advanced Analytics and allows about 10 queries a minute; "+
			"the next plan tries again.", err))
}

// addDroppedWarning says why a refresh dropped an implementation whose id
// holds another create's Gateway Service.
func addDroppedWarning(diags *diag.Diagnostics, other servicehub.Implementation) {
	diags.AddWarning("Implementation removed from state: another create's Gateway Service holds its id",
		fmt.Sprintf("The Gateway Service this state created (id %s) was deleted outside Terraform, and another create (another workspace or run) "+
			"has since made %q under the same id. It is not this state's, so it is dropped from state and left alone; "+
			"the plan creates the implementation again, which the other one stands in the way of.", other.ID(), other.Name()))
}

// addDroppedRouteWarning is addDroppedWarning for a route: its id is
// random, so this happens only when something else wrote that very id (a
// decK sync of an old dump, say).
func addDroppedRouteWarning(diags *diag.Diagnostics, other servicehub.Route) {
	diags.AddWarning("Route removed from state: another create's route holds its id",
		fmt.Sprintf("The route this state created (id %s) was replaced outside Terraform by %q, which this state did not create. "+
			"It is not this state's, so it is dropped from state and left alone; the plan creates the route again.", other.ID(), other.Name()))
}

// addLeftAloneWarning reports an entity a delete left alone, as another
// create made it (*servicehub.NotOwnedError) or whose it is could not be
// told (*servicehub.UnknownOwnerError): a warning, and the resource leaves
// state. false when err is neither.
func addLeftAloneWarning(diags *diag.Diagnostics, e kongEntity, err error) bool {
	var (
		notOwned *servicehub.NotOwnedError
		unknown  *servicehub.UnknownOwnerError
	)
	switch {
	case errors.As(err, &notOwned):
		diags.AddWarning(fmt.Sprintf("%s left alone: another create's", capitalize(e.noun)),
			fmt.Sprintf("%s. This state's %s is gone already, so it is removed from state; the other one (and its catalog link, if any) is left as it is.\n\n"+
				"To manage it from this configuration instead, import it:\n\n  terraform import %s.<name> %s",
				capitalize(err.Error()), e.noun, e.resource, importKey(notOwned.Other, notOwned.ID)))
	case errors.As(err, &unknown):
		diags.AddWarning(fmt.Sprintf("%s left alone: whose it is is unknown", capitalize(e.noun)),
			fmt.Sprintf("%s. It is removed from state. If it is this configuration's own after all (its create did land), import it:\n\n  terraform import %s.<name> %s",
				capitalize(err.Error()), e.resource, importKey(unknown.Other, unknown.ID)))
	default:
		return false
	}
	return true
}

// Plugins (servicehub_plugin).

// addPluginTaken: Kong's one plugin of a name per implementation or route.
func addPluginTaken(diags *diag.Diagnostics, err *servicehub.PluginTakenError) {
	on, attr := "implementation", "implementation_id"
	if err.ScopeKind == "routes" {
		on, attr = "route", "route_id"
	}
	detail := fmt.Sprintf("%s. Kong allows one plugin of a name on an %s (one per consumer besides), so nothing was written.", capitalize(err.Error()), on)
	if err.Existing != nil {
		detail += fmt.Sprintf(" To manage the existing one from this configuration, import it:\n\n  terraform import servicehub_plugin.<name> %s\n\n"+
			"or delete it, or configure that plugin here instead of adding a second.", stringOf(err.Existing.ID))
	}
	diags.AddAttributeError(path.Root(attr), fmt.Sprintf("The %s already has a %q plugin", on, err.Name), detail)
}

// addUnknownPlugin: no plugin of that name in the runtime group.
func addUnknownPlugin(diags *diag.Diagnostics, err *servicehub.UnknownPluginError) {
	detail := capitalize(err.Error()) + "."
	if len(err.Closest) == 0 {
		detail += " Check the name against the plugins the runtime group has enabled (Kong's plugins setting, or Konnect's plugin list)."
	} else {
		detail += fmt.Sprintf(" Did you mean name = %q?", err.Closest[0])
	}
	diags.AddAttributeError(path.Root("name"), "Unknown plugin", detail)
}

// addPluginEntityError reports what else can go wrong with a plugin.
func addPluginEntityError(diags *diag.Diagnostics, op string, err error) {
	summary := "Unable to " + op + " plugin"
	var (
		access    *servicehub.AccessError
		missing   *servicehub.MissingReferenceError
		rejected  *servicehub.RejectedError
		unsettled *servicehub.UnsettledError
		ingress   *servicehub.IngressControllerError
	)
	switch {
	case errors.As(err, &ingress):
		diags.AddError(summary+": the Ingress Controller's", capitalize(err.Error())+
			". If it is in this state, remove it from state: terraform state rm servicehub_plugin.<name>")
	case errors.As(err, &access):
		addAccessError(diags, summary, "Plugins", access)
	case errors.As(err, &missing) && (missing.Field == "service" || missing.Field == "route"):
		attr, noun, ref := "implementation_id", "Gateway Service", "servicehub_implementation.<name>.id"
		if missing.Field == "route" {
			attr, noun, ref = "route_id", "Route", "servicehub_route.<name>.id"
		}
		diags.AddAttributeError(path.Root(attr), noun+" not found",
			fmt.Sprintf("There is no %s with this id in the runtime group: %s. Refer to an existing one, e.g. %s = %s.",
				noun, strings.TrimSuffix(missing.Message, "."), attr, ref))
	case errors.As(err, &rejected) && rejected.ReferencedBy != "":
		diags.AddError(summary, err.Error())
	case errors.As(err, &unsettled):
		diags.AddError(summary+": outcome unknown", err.Error())
	default:
		diags.AddError(summary, err.Error())
	}
}

// addReadOnlyError refuses a plan that would write to a Konnect control
// plane whose core entities are read only (a *ReadOnlyControlPlaneError),
// before anything is written.
func addReadOnlyError(diags *diag.Diagnostics, noun string, destroy bool, err error) {
	var ro *servicehub.ReadOnlyControlPlaneError
	if !errors.As(err, &ro) {
		return
	}
	detail := capitalize(err.Error()) + ". Nothing was written."
	if destroy {
		detail += fmt.Sprintf(" To stop managing this %s with Terraform without deleting it, remove it from the state (terraform state rm).", noun)
	}
	diags.AddError(fmt.Sprintf("The %s cannot be changed: the control plane is read only", noun), detail)
}

// addListError reports a list resource's failed listing (what: "routes",
// …): an implementation_id that is no implementation on that attribute,
// the catalog's and access errors as elsewhere.
func addListError(diags *diag.Diagnostics, what string, err error) {
	summary := "Unable to list " + what
	var (
		notImpl *servicehub.NotImplementationError
		access  *servicehub.AccessError
	)
	switch {
	case errors.As(err, &notImpl):
		diags.AddAttributeError(path.Root("implementation_id"), "Not an implementation",
			capitalize(err.Error())+". Give the id of an implementation; the servicehub_implementation list finds them.")
	case servicehub.IsNotFound(err):
		diags.AddAttributeError(path.Root("implementation_id"), "Implementation not found",
			"There is no Gateway Service with this id in the runtime group. The servicehub_implementation list finds the implementations; "+
				"the provider's admin_url and workspace say which runtime group that is.")
	case errors.As(err, &access):
		addAccessError(diags, summary, what, access)
	case catalogError(diags, summary, path.Empty(), err):
	default:
		diags.AddError(summary, err.Error())
	}
}
