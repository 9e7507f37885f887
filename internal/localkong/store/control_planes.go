package store

import (
	"sort"
	"strings"
)

// ControlPlaneIDs are the Konnect control planes written to so far (each
// comes into being on its first write), sorted. Caller holds the lock.
func (s *Store) ControlPlaneIDs() []string {
	var ids []string
	for key := range s.spaces {
		if id, ok := strings.CutPrefix(key, "cp:"); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
