package servicehub

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// "One implementation per version" across runs rests on Kong's primary
// key, the one thing Kong lets two writers race on and have exactly one
// win (README, Reliability). Each service version has slots: Gateway
// Service ids derived from the runtime group, the service and the version
// (slotID). Whatever the provider makes to hold a version is inserted with
// POST at the version's first usable slot:
//
//   - a new implementation is itself inserted there: one write, as before;
//   - an implementation moving to the version (an update of service or
//     version) inserts a claim there first: a disabled Gateway Service
//     without routes, tagged with its owner's id.
//
// Two runs inserting at the same slot cannot both succeed, so at most one
// holds the version. A slot is usable unless it holds a Gateway Service that
// no longer stands for the version: an implementation made for it that has
// since moved to another version (its id cannot change). Such a dead slot is
// skipped, and the next one is tried. Claims are only ever deleted by their
// owner (when it moves away or is deleted), never by another run: Kong has
// no conditional delete, so a run clearing "someone else's stale claim"
// could delete what a third run has just inserted under the same id.

// slotNamespace is the UUIDv5 namespace of slot ids (a fixed random UUID).
var slotNamespace = uuid.MustParse("7c4e0a3f-5b1d-4c86-9f2e-1d0b6a8e4c21")

// maxSlots bounds the walk past dead slots; each one is an implementation
// that moved away from the version and still exists.
const maxSlots = 16

// Tags the protocol writes besides the service and version tags.
const (
	createTagPrefix = OwnTagPrefix + "create="        // a create's token: tells our insert from another's
	claimTag        = OwnTagPrefix + "claim"          // marks a claim
	ownerTagPrefix  = OwnTagPrefix + "owner="         // the implementation a claim is for
	claimSvcPrefix  = OwnTagPrefix + "claim-service=" // what it claims, for people reading Kong
	claimVerPrefix  = OwnTagPrefix + "claim-version="
	claimHost       = "claim.servicehub.invalid" // .invalid never resolves (RFC 2606)
)

// slotID is slot k of a service version in a runtime group.
func slotID(group, service, version string, k int) string {
	name := strings.Join([]string{"servicehub version slot", group, service, version, strconv.Itoa(k)}, "\x00")
	return uuid.NewSHA1(slotNamespace, []byte(name)).String()
}

// ownerTag marks the claims made for an implementation.
func ownerTag(implementationID string) string { return ownerTagPrefix + implementationID }

// claimFor is the claim an implementation inserts at slot id.
func claimFor(id, owner, service, version string) *kong.Service {
	return &kong.Service{
		ID:       kong.String(id),
		Name:     kong.String("servicehub-claim-" + id),
		Protocol: kong.String("http"),
		Host:     kong.String(claimHost),
		Port:     kong.Int(80),
		Enabled:  kong.Bool(false),
		Tags: kong.StringSlice(claimTag, ownerTag(owner),
			claimSvcPrefix+service, claimVerPrefix+version),
	}
}

func hasTag(s *kong.Service, tag string) bool {
	for _, t := range s.Tags {
		if t != nil && *t == tag {
			return true
		}
	}
	return false
}

func tagValue(s *kong.Service, prefix string) string {
	for _, t := range s.Tags {
		if t != nil && strings.HasPrefix(*t, prefix) {
			return strings.TrimPrefix(*t, prefix)
		}
	}
	return ""
}

func isClaimOf(s *kong.Service, owner string) bool {
	return hasTag(s, claimTag) && tagValue(s, ownerTagPrefix) == owner
}

// VersionReservedError: the version's slot holds a claim whose owner does
// not implement the version (yet, or any more), so it cannot be taken.
type VersionReservedError struct {
	Service, Version string
	ClaimID          string
	OwnerID          string
	// Owner is the owning implementation; nil when it no longer exists.
	Owner *Implementation
}

func (e *VersionReservedError) Error() string {
	msg := fmt.Sprintf("version %q of service %q is reserved in this runtime group by a claim (Gateway Service %s) ", e.Version, e.Service, e.ClaimID)
	if e.Owner == nil {
		return msg + fmt.Sprintf("of the implementation %s, which no longer exists (deleted outside Terraform, or its deletion was interrupted). "+
			"The claim is a disabled Gateway Service without routes; delete it (DELETE /services/%s on the Admin API) and apply again", e.OwnerID, e.ClaimID)
	}
	return msg + fmt.Sprintf("of the implementation %q (id %s), which implements %q version %q: it is moving to this version, "+
		"or a move of it here was interrupted. Applying that implementation's configuration again finishes the move; "+
		"if the move was abandoned, delete the claim, a disabled Gateway Service without routes (DELETE /services/%s on the Admin API)",
		e.Owner.Name(), e.OwnerID, e.Owner.Service, e.Owner.Version, e.ClaimID)
}

// holderError says who holds the version at a taken slot, or nil when the
// slot is dead (what sits there no longer stands for the version).
func (s *Implementations) holderError(ctx context.Context, cur *kong.Service, service, version string) error {
	if hasTag(cur, claimTag) {
		owner := tagValue(cur, ownerTagPrefix)
		e := &VersionReservedError{Service: service, Version: version, ClaimID: str(cur.ID), OwnerID: owner}
		if owner == "" {
			return e
		}
		// Read fresh, not from the run's listing: the owner may have
		// moved since it was taken.
		svc, err := s.api.GetService(ctx, owner)
		var o Implementation
		if err == nil {
			o = fromKong(svc)
		}
		switch {
		case err == nil && o.Service == service && o.Version == version:
			return &VersionTakenError{Service: service, Version: version, Existing: o}
		case err == nil:
			e.Owner = &o
		case !IsNotFound(err):
			return fmt.Errorf("looking up the owner %s of the claim on %s %s: %w", owner, service, version, classify(err))
		}
		return e
	}
	if impl := fromKong(cur); impl.Service == service && impl.Version == version {
		return &VersionTakenError{Service: service, Version: version, Existing: impl}
	}
	return nil
}

// acquire inserts the holder of a service version at its first usable slot
// and returns what Kong stored. insert writes the holder under an id; ours
// recognises our own insert, met again when a retried POST finds the
// first attempt committed.
//
// Errors: *VersionTakenError or *VersionReservedError when another holds
// the version; *UnsettledError when an insert's outcome could not be
// learnt; an insert's own error otherwise (a taken name, say).
func (s *Implementations) acquire(ctx context.Context, service, version string,
	insert func(id string) (*kong.Service, error), ours func(*kong.Service) bool,
) (*kong.Service, error) {
	for k := 0; k < maxSlots; k++ {
		out, dead, err := s.trySlot(ctx, slotID(s.group, service, version, k), service, version, insert, ours)
		if !dead {
			return out, err
		}
	}
	return nil, fmt.Errorf("no free slot for version %q of service %q among %d: each holds a Gateway Service once made for that version and since moved to another; "+
		"delete some of them or move them back", version, service, maxSlots)
}

// trySlot inserts at one slot; dead means the slot cannot hold the version
// and the next one is to be tried.
func (s *Implementations) trySlot(ctx context.Context, id, service, version string,
	insert func(id string) (*kong.Service, error), ours func(*kong.Service) bool,
) (out *kong.Service, dead bool, err error) {
	for attempt := 0; ; attempt++ {
		out, err := insert(id)
		if err == nil {
			return out, false, nil
		}
		var ue *kongapi.UnconfirmedError
		unconfirmed := errors.As(err, &ue)
		taken := kongapi.IsPrimaryKeyViolation(err)
		switch {
		case !unconfirmed && !taken && !kongapi.IsUniqueViolation(err):
			return nil, false, err
		case ctx.Err() != nil && unconfirmed:
			return nil, false, &UnsettledError{Noun: "Gateway Service", ID: id, Err: err, Check: ctx.Err()}
		case ctx.Err() != nil:
			return nil, false, err
		}
		cur, gerr := s.kong.GetService(ctx, id)
		switch {
		case gerr == nil && ours(cur):
			return cur, false, nil
		case gerr == nil:
			herr := s.holderError(ctx, cur, service, version)
			return nil, herr == nil, herr
		case IsNotFound(gerr) && taken && attempt == 0:
			// Taken, yet not found: its holder was deleted in between, or
			// it lives in another workspace (Kong's primary keys span
			// workspaces). Once more; still so, the slot is dead here.
		case IsNotFound(gerr) && taken:
			return nil, true, nil
		case IsNotFound(gerr) && unconfirmed:
			return nil, false, fmt.Errorf("%w\n\nKong has no Gateway Service with id %s, so nothing was created: Terraform state and Kong agree, and applying again creates it", err, id)
		case IsNotFound(gerr):
			return nil, false, err // the slot is free: the conflict was the name's
		case unconfirmed:
			return nil, false, &UnsettledError{Noun: "Gateway Service", ID: id, Err: err, Check: gerr}
		default:
			return nil, false, err
		}
	}
}

// deleteExactly deletes the Gateway Service at id, but never what another
// run has created under the same id since. Slot ids are reused by design,
// so a blind retry of a DELETE whose response was lost could delete a new
// holder of the version: instead, a lost DELETE is settled by reading the
// id, and retried only while mine says the entity there is still the one
// meant.
func (s *Implementations) deleteExactly(ctx context.Context, id string, mine func(*kong.Service) bool) error {
	const attempts = kongapi.DefaultMaxRetries + 1
	for n := 1; ; n++ {
		err := s.kong.DeleteService(kongapi.NoReplay(ctx), id)
		var ue *kongapi.UnconfirmedError
		if !errors.As(err, &ue) || n == attempts || ctx.Err() != nil {
			return err
		}
		cur, gerr := s.kong.GetService(ctx, id) // the cache forgot id: this asks Kong
		switch {
		case IsNotFound(gerr):
			return nil
		case gerr != nil:
			return err
		case !mine(cur):
			return nil // ours is gone; another run's lives under the id now
		}
	}
}

// claim makes impl (moving to its version) hold the version: its own slot
// when it sits at one already unused, else a claim it owns.
func (s *Implementations) claim(ctx context.Context, impl Implementation) (*kong.Service, error) {
	owner := impl.ID()
	return s.acquire(ctx, impl.Service, impl.Version,
		func(id string) (*kong.Service, error) {
			c := claimFor(id, owner, impl.Service, impl.Version)
			c.Tags = append(c.Tags, kong.StringSlice(s.defaults...)...)
			return s.kong.CreateService(ctx, c)
		},
		func(cur *kong.Service) bool { return isClaimOf(cur, owner) })
}

// releaseClaims deletes the claims owner holds, except keep.
func (s *Implementations) releaseClaims(ctx context.Context, owner, keep string) error {
	claims, err := s.kong.ListServicesByTags(ctx, claimTag, ownerTag(owner))
	if err != nil {
		return fmt.Errorf("looking for the claims of %s: %w", owner, classify(err))
	}
	var errs []error
	for _, c := range claims {
		if id := str(c.ID); id != keep {
			if err := s.deleteExactly(ctx, id, func(cur *kong.Service) bool { return isClaimOf(cur, owner) }); err != nil {
				errs = append(errs, fmt.Errorf("the claim of %s on %q version %q (Gateway Service %s) could not be deleted: %w. "+
					"Until it is, that version cannot get another implementation here: apply again, or delete it (DELETE /services/%s on the Admin API)",
					owner, tagValue(c, claimSvcPrefix), tagValue(c, claimVerPrefix), id, classify(err), id))
			}
		}
	}
	return errors.Join(errs...)
}
