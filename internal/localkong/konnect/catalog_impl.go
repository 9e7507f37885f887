package konnect

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// API implementations: POST /v3/apis/{apiId}/implementations, GET/DELETE
// .../implementations/{implementationId}, GET /v3/api-implementations.
// Only gateway-service implementations are served (the spec's other
// kind, a whole control plane, is refused with a 400 naming it).

// implFields are ApiImplementationGatewayServiceEntity's properties.
var implFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "service": true}

var serviceRefFields = map[string]bool{"control_plane_id": true, "id": true, "auth_strategy_sync_error": true}

func (p *platformRequest) createImpl(apiID string) {
	body, pr := readJSONObject(p.r)
	if pr != nil {
		p.fail(pr)
		return
	}
	cp, svcID, bad := parseServiceRef(body)
	if len(bad) > 0 {
		p.fail(badRequest(sortParams(bad)...))
		return
	}
	p.locked(true, func(c *catalog) (int, any, *problem) {
		if c.apis[apiID] == nil {
			return 0, nil, problemNotFound()
		}
		sp := c.store.Namespace(store.ControlPlaneNS(cp))
		if sp == nil {
			return 0, nil, badRequest(ruleParam("service.control_plane_id", "missing_reference", "Control plane not found"))
		}
		if sp.Get(store.Services, svcID) == nil {
			return 0, nil, badRequest(ruleParam("service.id", "missing_reference", "Service not found"))
		}
		// Both 409s are the spec's examples, word for word; a retried
		// create that finds its own link gets the first.
		if c.implOf(apiID) != nil {
			return 0, nil, problemConflict("An implementation already exists for this API")
		}
		if c.linkOf(cp, svcID) != nil {
			return 0, nil, problemConflict("This gateway service is already linked to another API")
		}
		im := &catImpl{seq: c.next(), id: uuid.NewString(), apiID: apiID, controlPlane: cp, serviceID: svcID, created: time.Now()}
		c.impls[im.id] = im
		c.touchAPI(apiID)
		return http.StatusCreated, im.json(false), nil
	})
}

// parseServiceRef checks {"service": {"control_plane_id", "id"}}.
func parseServiceRef(body map[string]any) (cp, id string, bad []invalidParam) {
	for k := range body {
		switch {
		case k == "control_plane":
			bad = append(bad, ruleParam(k, "invalid", "localkong links gateway services only: give service {control_plane_id, id}"))
		case !implFields[k]:
			bad = append(bad, unknownProperty(k))
		}
	}
	raw, ok := body["service"]
	if !ok {
		if len(bad) == 0 {
			bad = append(bad, ruleParam("service", "required", "service is a required field"))
		}
		return "", "", bad
	}
	svc, ok := raw.(map[string]any)
	if !ok {
		return "", "", append(bad, ruleParam("service", "is_object", "service must be an object"))
	}
	for k := range svc {
		if !serviceRefFields[k] {
			bad = append(bad, unknownProperty("service."+k))
		}
	}
	uuidField := func(name string) string {
		field := "service." + name
		v, ok := svc[name]
		if !ok {
			bad = append(bad, ruleParam(field, "required", field+" is a required field"))
			return ""
		}
		s, _ := v.(string)
		if !store.IsUUID(s) {
			bad = append(bad, ruleParam(field, "is_uuid", field+" must be a UUID"))
			return ""
		}
		return strings.ToLower(s)
	}
	cp, id = uuidField("control_plane_id"), uuidField("id")
	return cp, id, bad
}

// touchAPI moves an API's updated_at: its implementation_mode changed.
func (c *catalog) touchAPI(id string) {
	if a := c.apis[id]; a != nil {
		b := a.clone()
		b.updated = time.Now()
		c.apis[id] = b
	}
}

func (p *platformRequest) readImpl(apiID, implID string) {
	p.locked(false, func(c *catalog) (int, any, *problem) {
		im := c.impls[implID]
		if im == nil || im.apiID != apiID {
			return 0, nil, problemNotFound()
		}
		return http.StatusOK, im.json(false), nil
	})
}

func (p *platformRequest) deleteImpl(apiID, implID string) {
	p.locked(true, func(c *catalog) (int, any, *problem) {
		im := c.impls[implID]
		if im == nil || im.apiID != apiID {
			return 0, nil, problemNotFound()
		}
		delete(c.impls, implID)
		c.touchAPI(apiID)
		return http.StatusNoContent, nil, nil
	})
}

// json is ApiImplementationGatewayServiceEntity; list items
// (ApiImplementationListItemGatewayServiceEntity) add api_id.
func (im *catImpl) json(listItem bool) map[string]any {
	ts := catalogTime(im.created)
	m := map[string]any{
		"id":         im.id,
		"created_at": ts,
		"updated_at": ts,
		"service":    map[string]any{"control_plane_id": im.controlPlane, "id": im.serviceID},
	}
	if listItem {
		m["api_id"] = im.apiID
	}
	return m
}

// implList is ApiImplementationFilterParameters and ApiImplementationSort.
var implList = listSpec[*catImpl]{
	fields: map[string]listField[*catImpl]{
		"id":               {kind: fieldUUID, get: func(im *catImpl) []string { return one(im.id) }},
		"api_id":           {kind: fieldUUID, get: func(im *catImpl) []string { return one(im.apiID) }},
		"service_id":       {kind: fieldUUID, get: func(im *catImpl) []string { return one(im.serviceID) }},
		"control_plane_id": {kind: fieldUUID, get: func(im *catImpl) []string { return one(im.controlPlane) }},
		"created_at":       {kind: fieldTime, get: func(im *catImpl) []string { return one(catalogTime(im.created)) }},
		"updated_at":       {kind: fieldTime, get: func(im *catImpl) []string { return one(catalogTime(im.created)) }},
	},
	sorts: []string{"id", "api_id", "control_plane_id", "service_id", "created_at", "updated_at"},
	less:  func(a, b *catImpl) bool { return a.seq < b.seq },
}

func (p *platformRequest) listImpls() {
	q := p.r.URL.Query()
	p.locked(false, func(c *catalog) (int, any, *problem) {
		rows := make([]*catImpl, 0, len(c.impls))
		for _, im := range c.impls {
			rows = append(rows, im)
		}
		page, meta, pr := pageRows(rows, q, implList)
		if pr != nil {
			return 0, nil, pr
		}
		data := make([]any, 0, len(page))
		for _, im := range page {
			data = append(data, im.json(true))
		}
		return http.StatusOK, map[string]any{"data": data, "meta": meta}, nil
	})
}
