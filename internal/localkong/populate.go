package localkong

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Populate stores n Gateway Services in the default workspace, each with
// one Route, named <prefix>-<i> and untagged: the entities other tools keep
// in a large runtime group. Each goes through the same checks and defaults
// as a PUT /services/{id} and PUT /routes/{id} would, but in the store,
// without HTTP (unlike Seed), so tests and benchmarks can fill a runtime
// group with tens of thousands of entities in a second. It sends no Admin
// API request and counts none.
func (s *Server) Populate(prefix string, n int) error {
	var err error
	s.store.Locked(true, func() { err = s.populate(prefix, n) })
	return err
}

// populate is Populate under the store's write lock.
func (s *Server) populate(prefix string, n int) error {
	st := s.store
	sp := st.Namespace(store.WorkspaceNS(store.DefaultWorkspace))
	for i := range n {
		name := fmt.Sprintf("%s-%d", prefix, i)
		svcID, routeID := uuid.NewString(), uuid.NewString()
		svc := map[string]any{"name": name, "host": name + ".internal", "port": float64(8080), "path": "/api"}
		if _, err := st.Upsert(sp, store.Services, store.ByID(svcID), svc); err != nil {
			return fmt.Errorf("populating: service %s: %w", name, err)
		}
		route := map[string]any{
			"name": name, "service": map[string]any{"id": svcID},
			"paths": []any{"/" + prefix + "/" + fmt.Sprint(i)}, "methods": []any{"GET"},
		}
		if _, err := st.Upsert(sp, store.Routes, store.ByID(routeID), route); err != nil {
			return fmt.Errorf("populating: route %s: %w", name, err)
		}
	}
	return nil
}
