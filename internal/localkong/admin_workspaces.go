package localkong

import (
	"net/http"
	"sort"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Workspaces are Kong Enterprise's (spec §10), kept minimal: create, list,
// read, patch the comment/meta/config and delete an empty one. A request
// under an unknown /{workspace} prefix is a 404.

func (s *store) hasWorkspace(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.spaces[nsWorkspace(name)]
	return ok
}

// workspaceByKey finds a workspace space by id or name. Caller holds the lock.
func (s *store) workspaceByKey(key string) *space {
	if sp, ok := s.spaces[nsWorkspace(key)]; ok {
		return sp
	}
	if isUUID(key) {
		for _, sp := range s.spaces {
			if sp.ws != nil && sp.ws["id"] == lowerID(key) {
				return sp
			}
		}
	}
	return nil
}

func (a *admin) matchWorkspaces(segs []string) endpoint {
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

func (a *admin) listWorkspaces(rq *request) {
	lq, err := parseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	s := a.store
	s.mu.RLock()
	var rows []map[string]any
	for _, sp := range s.spaces {
		if sp.ws != nil {
			rows = append(rows, sp.ws)
		}
	}
	s.mu.RUnlock()
	sortByID(rows)
	page, off := lq.page(rows, false, nil)
	rq.send(http.StatusOK, listBody(page, off, lq.nextLink("/workspaces", off)))
}

func (a *admin) createWorkspace(rq *request) {
	name, ok := rq.body["name"].(string)
	switch {
	case rq.body["name"] == nil:
		rq.fail(errFieldViolation("name", "required field missing"))
		return
	case !ok:
		rq.fail(errFieldViolation("name", "expected a string"))
		return
	case topLevel[name] || name == "kong":
		rq.fail(errFieldViolation("name", "must not be one of: "+name))
		return
	}
	if err := kongschema.ValidateName(name); err != nil {
		rq.fail(errFieldViolation("name", err.Error()))
		return
	}
	id := uuid.NewString()
	if v, ok := rq.body["id"].(string); ok && isUUID(v) {
		id = lowerID(v)
	}
	ws := workspaceEntity(id, name)
	for _, f := range []string{"comment", "meta", "config"} {
		if v, ok := rq.body[f]; ok && v != nil {
			ws[f] = v
		}
	}
	s := a.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaceByKey(name) != nil {
		rq.fail(errUnique("name", name))
		return
	}
	if s.workspaceByKey(id) != nil {
		rq.fail(errPrimaryKey(id))
		return
	}
	s.addSpace(nsWorkspace(name), name, "kong", ws)
	rq.send(http.StatusCreated, ws)
}

func (a *admin) readWorkspace(rq *request, key string) {
	s := a.store
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp := s.workspaceByKey(key)
	if sp == nil {
		rq.fail(errNotFound())
		return
	}
	rq.send(http.StatusOK, sp.ws)
}

func (a *admin) patchWorkspace(rq *request, key string) {
	s := a.store
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.workspaceByKey(key)
	if sp == nil {
		field := "name"
		if isUUID(key) {
			field = "id"
		}
		rq.fail(errNotFoundKey(field, key))
		return
	}
	if n, ok := rq.body["name"]; ok && n != sp.ws["name"] {
		rq.fail(errFieldViolation("name", "cannot change the name of a workspace"))
		return
	}
	ws := clone(sp.ws)
	for _, f := range []string{"comment", "meta", "config"} {
		if v, ok := rq.body[f]; ok {
			ws[f] = v
		}
	}
	ws["updated_at"] = now()
	sp.ws = ws
	rq.send(http.StatusOK, ws)
}

func (a *admin) deleteWorkspace(rq *request, key string) {
	s := a.store
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.workspaceByKey(key)
	switch {
	case sp == nil:
		rq.w.WriteHeader(http.StatusNoContent)
	case sp.label == defaultWorkspace:
		rq.fail(messageError(400, "Cannot delete default workspace"))
	case sp.count() > 0:
		rq.fail(messageError(400, "Workspace is not empty"))
	default:
		delete(s.spaces, nsWorkspace(sp.label))
		rq.w.WriteHeader(http.StatusNoContent)
	}
}

func sortByID(rows []map[string]any) {
	sort.Slice(rows, func(i, j int) bool { return rows[i]["id"].(string) < rows[j]["id"].(string) })
}
