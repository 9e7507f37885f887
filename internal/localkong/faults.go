package localkong

import (
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/faults"
)

// Fault injection and pauses live in package faults; these names are the
// server's public face for them.

// Faults makes a share of Admin API requests fail (faults.Config).
type Faults = faults.Config

// FaultKind is one way an Admin API request can fail.
type FaultKind = faults.Kind

// The faults localkong can inject (see faults.Kind).
const (
	Fault429        = faults.Status429
	Fault502        = faults.Status502
	Fault503        = faults.Status503
	FaultDropBefore = faults.DropBefore
	FaultDropAfter  = faults.DropAfter
)

// AllFaults lists every FaultKind, in the order used when Kinds is empty.
var AllFaults = faults.All

// ParseFaultKinds parses a comma-separated list such as
// "429,503,drop-after"; "all" or "" means AllFaults.
func ParseFaultKinds(s string) ([]FaultKind, error) { return faults.ParseKinds(s) }

// Phase is where Pause holds a request.
type Phase = faults.Phase

// The phases of Pause.
const (
	// BeforeHandling holds a request before the store sees it.
	BeforeHandling = faults.BeforeHandling
	// AfterHandling holds a request once it was handled (a write is
	// committed) and before its response is sent.
	AfterHandling = faults.AfterHandling
)

// Paused is one request held by Pause.
type Paused = faults.Paused

// Pause holds the first Admin API request that match accepts at phase,
// until Release. Tests force an interleaving with it: hold one client's
// write until another's has been answered, whatever the timing. Requests
// that do not match, and later matching ones, pass.
func (s *Server) Pause(phase Phase, match func(*http.Request) bool) *Paused {
	return s.pauses.Pause(phase, match)
}

// SetFaults replaces the fault injection settings; nil turns it off.
func (s *Server) SetFaults(f *Faults) error {
	if f != nil {
		if err := f.Validate(); err != nil {
			return err
		}
	}
	s.faults.Set(f)
	return nil
}

// FaultCounts reports how many faults of each kind were injected so far.
func (s *Server) FaultCounts() map[FaultKind]int64 { return s.faults.Counts() }
