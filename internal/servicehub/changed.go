package servicehub

import (
	"context"
	"fmt"

	"github.com/kong/go-kong/kong"
)

// ChangedError: an update found the entity changed (or gone) in Kong since
// the run read it, and wrote nothing. Another run or a person got there
// first; overwriting would silently undo what they did.
type ChangedError struct {
	Noun, ID, Name string
	// Deleted: the entity is gone; otherwise What says what changed.
	Deleted bool
	What    string
}

func (e *ChangedError) Error() string {
	what := fmt.Sprintf("%s %q (id %s)", e.Noun, e.Name, e.ID)
	if e.Deleted {
		return fmt.Sprintf("the %s was deleted in Kong after this run read it, so it was not written again. "+
			"Another Terraform run or a person deleted it: run terraform apply again, and the plan will create it", what)
	}
	return fmt.Sprintf("the %s was changed in Kong after this run read it (%s), so nothing was written. "+
		"Another Terraform run or a person changed it: run terraform apply again, and the plan will show Kong's current values and what applying changes", what, e.What)
}

// differences says how cur departs from what was read; "" when it does not.
// updated_at catches any write (Kong's resolution is one second; the
// fields compared besides catch the ones that matter within the same
// second).
func differences(priorUpdated, curUpdated *int, fields ...[3]string) string {
	if priorUpdated != nil && curUpdated != nil && *priorUpdated != *curUpdated {
		return fmt.Sprintf("updated_at %d, now %d", *priorUpdated, *curUpdated)
	}
	for _, f := range fields {
		if f[1] != f[2] {
			return fmt.Sprintf("%s %q, now %q", f[0], f[1], f[2])
		}
	}
	return ""
}

// unchanged checks, with a fresh read from Kong, that the implementation
// is as prior says, and is the one mark owns (when Known); it returns what
// it read.
func (s *Implementations) unchanged(ctx context.Context, prior Implementation, mark Mark) (Implementation, error) {
	svc, err := s.api.GetService(ctx, prior.ID())
	if IsNotFound(err) {
		return Implementation{}, &ChangedError{Noun: "Gateway Service", ID: prior.ID(), Name: prior.Name(), Deleted: true}
	}
	if err != nil {
		return Implementation{}, classify(err)
	}
	cur := fromKong(svc)
	if mark.Known() && !mark.Owns(cur) {
		return Implementation{}, &NotOwnedError{Noun: "Gateway Service", ID: prior.ID(), Name: prior.Name(), Other: cur.Name()}
	}
	if d := differences(prior.Gateway.UpdatedAt, cur.Gateway.UpdatedAt,
		[3]string{"name", prior.Name(), cur.Name()},
		[3]string{"service", prior.Service, cur.Service},
		[3]string{"version", prior.Version, cur.Version}); d != "" {
		return Implementation{}, &ChangedError{Noun: "Gateway Service", ID: prior.ID(), Name: prior.Name(), What: d}
	}
	return cur, nil
}

// unchanged checks, with a fresh read from Kong, that the route is as prior
// says; a route moved to another implementation by another run is the
// case this is for.
func (s *Routes) unchanged(ctx context.Context, prior kong.Route) error {
	cur, err := s.api.GetRoute(ctx, str(prior.ID))
	if IsNotFound(err) {
		return &ChangedError{Noun: "Route", ID: str(prior.ID), Name: str(prior.Name), Deleted: true}
	}
	if err != nil {
		return classify(err)
	}
	if d := differences(prior.UpdatedAt, cur.UpdatedAt,
		[3]string{"name", str(prior.Name), str(cur.Name)},
		[3]string{"implementation", ServiceID(&prior), ServiceID(cur)}); d != "" {
		return &ChangedError{Noun: "Route", ID: str(prior.ID), Name: str(prior.Name), What: d}
	}
	return nil
}
