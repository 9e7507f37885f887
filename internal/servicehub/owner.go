package servicehub

import (
	"fmt"

	"github.com/kong/go-kong/kong"
)

// An entity belongs to the state whose create made it. Slot ids are
// derived from the runtime group, the service and the version (slots.go),
// so after an implementation is deleted out of band another workspace with
// the same configuration creates its own at the very same id; and two
// workspaces with one configuration share names too. Neither the id nor
// the name tells this state's entity from that one. What does is what only
// the create knew: the token it tagged the insert with
// (servicehub:create=<token>, kept on every later write), and created_at,
// which Kong sets at the insert and a PUT that sends it back never
// changes. The provider keeps both in the resource's private state (the
// Mark); Read, Update and Delete compare them with what Kong holds (the
// Mark the entity carries), and so never adopt, overwrite or delete
// another create's entity. See design/reliability.md.

// Mark is what tells one create's entity from another's at the same id.
type Mark struct {
	// Token is the create's token; "" for an entity without one (made by
	// hand or by another tool, or updated by a provider that dropped the
	// tag on updates) that an import or a first refresh adopted.
	Token string `json:"token,omitempty"`
	// CreatedAt is Kong's created_at; 0 while unknown (a create whose
	// outcome was never learnt).
	CreatedAt int64 `json:"created_at,omitempty"`
}

// Known reports whether the mark says anything: a state written by the
// previous release, or a fresh import, has none yet.
func (m Mark) Known() bool { return m.Token != "" || m.CreatedAt != 0 }

// MarkOf is the mark an implementation carries in Kong.
func MarkOf(impl Implementation) Mark {
	m := Mark{Token: impl.Token}
	if impl.Gateway.CreatedAt != nil {
		m.CreatedAt = int64(*impl.Gateway.CreatedAt)
	}
	return m
}

// Owns reports whether cur, as Kong holds it, is the entity m marks: one
// carrying a create token is ours exactly when it is our token; one
// without (tags replaced by hand, an imported entity) when its created_at
// is the one recorded. A mark that is not Known owns nothing.
func (m Mark) Owns(cur Implementation) bool {
	if cur.Token != "" {
		return cur.Token == m.Token
	}
	return m.CreatedAt != 0 && cur.Gateway.CreatedAt != nil && int64(*cur.Gateway.CreatedAt) == m.CreatedAt
}

// Adopt is the mark to record after reading cur, which m owns (or which
// is adopted because m is not Known): cur's token, or the one recorded when
// cur's tags lost it, and cur's created_at.
func (m Mark) Adopt(cur Implementation) Mark {
	n := MarkOf(cur)
	if n.Token == "" {
		n.Token = m.Token
	}
	return n
}

// owns is Owns on a Gateway Service as Kong returns it.
func (m Mark) owns(svc *kong.Service) bool { return m.Owns(fromKong(svc)) }

// NotOwnedError: the entity at the state's id is not the one this state's
// create made (another create's, made after ours was deleted). Nothing was
// written to it.
type NotOwnedError struct {
	Noun, ID, Name string
	// Other is the name of what sits at the id now.
	Other string
}

// UnknownOwnerError: a create that was never confirmed (recorded tainted)
// is deleted without a refresh first. Terraform hands the delete of a
// tainted object no private state, so its mark is unknown, and the name is
// no proof (another workspace with the same configuration uses it too), so
// the entity at its id is left alone, like another create's. (With a
// refresh first, the refresh sees the mark and tells.)
type UnknownOwnerError struct {
	Noun, ID, Name string
	Other          string // the name of what sits at the id
}

func (e *UnknownOwnerError) Error() string {
	return fmt.Sprintf("this state's create of the %s %q (id %s) was never confirmed, and this run skipped the refresh that tells whether the %s at that id now (%q) "+
		"is that create's or another's (another workspace with the same configuration creates at the same id, under the same name), so it is not deleted",
		e.Noun, e.Name, e.ID, e.Noun, e.Other)
}

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("the %s %q (id %s) that this state created is gone: the %s at that id now (%q) was made by another create "+
		"(another Terraform workspace or run, after this one's was deleted outside Terraform), so it is not this state's to change or delete",
		e.Noun, e.Name, e.ID, e.Noun, e.Other)
}
