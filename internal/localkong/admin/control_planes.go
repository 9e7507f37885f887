package admin

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// A Konnect control plane's core entities are Kong's Admin API under a
// prefix, with Kong's error shapes and a few quirks of Konnect's own: they
// are served here, beside Kong's. Konnect's platform APIs (catalog,
// analytics) are package konnect's.

// matchKonnect routes Konnect's control-plane API (§11): the entities under
// /v2/control-planes/{id}/core-entities/…, each control plane its own
// namespace, without PATCH, and the plugins' schemas
// (/schemas/plugins/{name}). Nothing else is served.
func (a *API) matchKonnect(rq *request) endpoint {
	segs := rq.segs
	if len(segs) < 5 || segs[0] != "v2" || segs[1] != "control-planes" || segs[3] != "core-entities" || segs[2] == "" {
		return nil
	}
	rq.konnect = true
	rq.ns = store.ControlPlaneNS(segs[2])
	rq.segs, rq.raw = segs[4:], rq.raw[4:]
	if len(rq.segs) == 3 && rq.segs[0] == "schemas" && rq.segs[1] == "plugins" && rq.segs[2] != "validate" {
		// A plugin's schema, as the runtime group's Kong has it.
		return a.matchSchemas(rq.segs)
	}
	ep := matchEntities(rq)
	if ep == nil {
		return nil
	}
	delete(ep, http.MethodPatch)
	return ep
}

// nameFilter applies Konnect's filter[name][eq] and filter[name][contains]
// list parameters; Kong ignores unknown parameters.
func (rq *request) nameFilter() func(map[string]any) bool {
	if !rq.konnect {
		return nil
	}
	eq, hasEq := rq.query["filter[name][eq]"]
	contains, hasContains := rq.query["filter[name][contains]"]
	if !hasEq && !hasContains {
		return nil
	}
	return func(e map[string]any) bool {
		name, _ := e["name"].(string)
		if hasEq && name != eq[0] {
			return false
		}
		return !hasContains || name != "" && strings.Contains(name, contains[0])
	}
}

// konnectError renders the errors Konnect words differently from Kong. An
// insert under a taken id is Konnect's "data constraint error" on the id
// field, as Kong's koko control plane answers it (store.checkID, mapped to
// gRPC InvalidArgument by util.HandleErr): HTTP 400 whatever the entity.
func (rq *request) konnectError(err *store.Error) *store.Error {
	if !rq.konnect || err.Status != http.StatusBadRequest || err.Body["name"] != "primary key violation" {
		return err
	}
	fields, _ := err.Body["fields"].(map[string]any)
	return &store.Error{Status: http.StatusBadRequest, Body: map[string]any{
		"code":    3,
		"message": "data constraint error",
		"details": []any{map[string]any{
			"@type":    "type.googleapis.com/kong.admin.model.v1.ErrorDetail",
			"type":     "ERROR_TYPE_REFERENCE",
			"field":    "id",
			"messages": []any{fmt.Sprintf("id (type: unique) constraint failed for value '%v': ", fields["id"])},
		}},
	}}
}
