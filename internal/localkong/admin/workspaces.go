package admin

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Workspaces are Kong Enterprise's (spec §10), kept minimal: create, list,
// read, patch the comment/meta/config and delete an empty one. A request
// under an unknown /{workspace} prefix is a 404.

func (a *API) matchWorkspaces(segs []string) endpoint {
	switch len(segs) {
	case 1:
		return endpoint{
			http.MethodGet:  a.listWorkspaces,
			http.MethodPost: a.createWorkspace,
		}
	case 2:
		key := segs[1]
		return endpoint{
			http.MethodGet:    func(rq *request) { a.readWorkspace(rq, key) },
			http.MethodPatch:  func(rq *request) { a.patchWorkspace(rq, key) },
			http.MethodDelete: func(rq *request) { a.deleteWorkspace(rq, key) },
		}
	}
	return nil
}

func (a *API) listWorkspaces(rq *request) {
	lq, err := store.ParseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	page, off := lq.Page(a.store.Workspaces(), false, nil)
	rq.send(http.StatusOK, listBody(page, off, lq.NextLink("/workspaces", off)))
}

func (a *API) createWorkspace(rq *request) {
	name, ok := rq.body["name"].(string)
	switch {
	case rq.body["name"] == nil:
		rq.fail(store.ErrFieldViolation("name", "required field missing"))
		return
	case !ok:
		rq.fail(store.ErrFieldViolation("name", "expected a string"))
		return
	case a.isTopLevel(name) || name == "kong":
		rq.fail(store.ErrFieldViolation("name", "must not be one of: "+name))
		return
	}
	if err := kongschema.ValidateName(name); err != nil {
		rq.fail(store.ErrFieldViolation("name", err.Error()))
		return
	}
	id := uuid.NewString()
	if v, ok := rq.body["id"].(string); ok && store.IsUUID(v) {
		id = strings.ToLower(v)
	}
	ws := store.WorkspaceEntity(id, name)
	for _, f := range []string{"comment", "meta", "config"} {
		if v, ok := rq.body[f]; ok && v != nil {
			ws[f] = v
		}
	}
	if err := a.store.AddWorkspace(ws); err != nil {
		rq.fail(err)
		return
	}
	rq.send(http.StatusCreated, ws)
}

func (a *API) readWorkspace(rq *request, key string) {
	ws := a.store.Workspace(key)
	if ws == nil {
		rq.fail(store.ErrNotFound())
		return
	}
	rq.send(http.StatusOK, ws)
}

func (a *API) patchWorkspace(rq *request, key string) {
	ws, err := a.store.PatchWorkspace(key, rq.body)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.send(http.StatusOK, ws)
}

func (a *API) deleteWorkspace(rq *request, key string) {
	if err := a.store.DeleteWorkspace(key); err != nil {
		rq.fail(err)
		return
	}
	rq.w.WriteHeader(http.StatusNoContent)
}
