package localkong

import (
	"fmt"
	"net/http"
	"strings"
)

// matchKonnect routes Konnect's control-plane API (§11): the entities under
// /v2/control-planes/{id}/core-entities/…, each control plane its own
// namespace, without PATCH. Nothing else is served.
func (a *admin) matchKonnect(rq *request) endpoint {
	segs := rq.segs
	if len(segs) < 5 || segs[0] != "v2" || segs[1] != "control-planes" || segs[3] != "core-entities" || segs[2] == "" {
		return nil
	}
	rq.konnect = true
	rq.ns = nsControlPlane(segs[2])
	rq.segs, rq.raw = segs[4:], rq.raw[4:]
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

// konnectProxy scopes the proxy to one control plane and has it count
// traffic for analytics.
func (s *Server) konnectProxy(id string) error {
	switch {
	case id == "":
		id = DefaultControlPlaneID
	case id != AllControlPlanes && !isUUID(id):
		return fmt.Errorf("control plane id %q is not a UUID", id)
	}
	s.ControlPlaneID = lowerID(id)
	if id != AllControlPlanes {
		s.store.proxied = nsControlPlane(s.ControlPlaneID)
	}
	s.metrics.traffic = s.traffic
	return nil
}

// ControlPlaneURL is the core-entities base URL of a control plane on this
// server (Konnect mode), the provider's admin_url; "" means the one the
// proxy serves.
func (s *Server) ControlPlaneURL(id string) string {
	if id == "" {
		id = s.ControlPlaneID
	}
	return s.AdminURL + "/v2/control-planes/" + id + "/core-entities"
}

// konnectError renders the errors Konnect words differently from Kong. An
// insert under a taken id is Konnect's "data constraint error" on the id
// field, as Kong's koko control plane answers it (store.checkID, mapped to
// gRPC InvalidArgument by util.HandleErr): HTTP 400 whatever the entity.
func (rq *request) konnectError(err *apiError) *apiError {
	if !rq.konnect || err.status != http.StatusBadRequest || err.body["name"] != "primary key violation" {
		return err
	}
	fields, _ := err.body["fields"].(map[string]any)
	return &apiError{status: http.StatusBadRequest, body: map[string]any{
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
