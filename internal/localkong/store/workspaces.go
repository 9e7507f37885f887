package store

import "sort"

// Workspaces are Kong Enterprise's (spec §10), kept minimal: create, list,
// read, patch the comment/meta/config and delete an empty one. The
// handlers check the request (../admin/workspaces.go); these are the
// database's part.

// HasWorkspace reports whether a workspace of this name exists.
func (s *Store) HasWorkspace(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.spaces[WorkspaceNS(name)]
	return ok
}

// workspaceByKey finds a workspace space by id or name. Caller holds the lock.
func (s *Store) workspaceByKey(key string) *Space {
	if sp, ok := s.spaces[WorkspaceNS(key)]; ok {
		return sp
	}
	if IsUUID(key) {
		for _, sp := range s.spaces {
			if sp.ws != nil && sp.ws["id"] == lowerID(key) {
				return sp
			}
		}
	}
	return nil
}

// Workspaces returns every workspace entity, ordered by id.
func (s *Store) Workspaces() []map[string]any {
	s.mu.RLock()
	var rows []map[string]any
	for _, sp := range s.spaces {
		if sp.ws != nil {
			rows = append(rows, sp.ws)
		}
	}
	s.mu.RUnlock()
	sort.Slice(rows, func(i, j int) bool { return rows[i]["id"].(string) < rows[j]["id"].(string) })
	return rows
}

// AddWorkspace stores a new workspace entity (see WorkspaceEntity) unless
// its name or id is taken.
func (s *Store) AddWorkspace(ws map[string]any) *Error {
	name, id := ws["name"].(string), ws["id"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaceByKey(name) != nil {
		return errUnique("name", name)
	}
	if s.workspaceByKey(id) != nil {
		return errPrimaryKey(id)
	}
	s.addSpace(WorkspaceNS(name), name, "kong", ws)
	return nil
}

// Workspace returns the workspace entity of this id or name, or nil.
func (s *Store) Workspace(key string) map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sp := s.workspaceByKey(key); sp != nil {
		return sp.ws
	}
	return nil
}

// PatchWorkspace merges comment, meta and config from body into the
// workspace of this id or name; its name never changes.
func (s *Store) PatchWorkspace(key string, body map[string]any) (map[string]any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.workspaceByKey(key)
	if sp == nil {
		field := "name"
		if IsUUID(key) {
			field = "id"
		}
		return nil, ErrNotFoundKey(field, key)
	}
	if n, ok := body["name"]; ok && n != sp.ws["name"] {
		return nil, ErrFieldViolation("name", "cannot change the name of a workspace")
	}
	ws := clone(sp.ws)
	for _, f := range []string{"comment", "meta", "config"} {
		if v, ok := body[f]; ok {
			ws[f] = v
		}
	}
	ws["updated_at"] = now()
	sp.ws = ws
	return ws, nil
}

// DeleteWorkspace removes an empty workspace other than the default one;
// one that does not exist is no error.
func (s *Store) DeleteWorkspace(key string) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.workspaceByKey(key)
	switch {
	case sp == nil:
		return nil
	case sp.label == DefaultWorkspace:
		return MessageError(400, "Cannot delete default workspace")
	case sp.count() > 0:
		return MessageError(400, "Workspace is not empty")
	}
	delete(s.spaces, WorkspaceNS(sp.label))
	return nil
}
