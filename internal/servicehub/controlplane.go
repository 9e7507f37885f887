package servicehub

import (
	"context"
	"fmt"
	"sync"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// ReadOnlyControlPlaneError: the Konnect control plane's core entities
// are read only, so Gateway Services, Routes and plugins cannot be written
// there.
type ReadOnlyControlPlaneError struct {
	ID, Name, ClusterType string
}

func (e *ReadOnlyControlPlaneError) Error() string {
	cp := fmt.Sprintf("control plane %s", e.ID)
	if e.Name != "" {
		cp = fmt.Sprintf("control plane %q (%s)", e.Name, e.ID)
	}
	switch e.ClusterType {
	case konnectapi.ClusterTypeIngressController:
		return fmt.Sprintf("%s is managed by the Kong Ingress Controller (cluster type %s): Konnect keeps its core entities "+
			"read only, and only the Ingress Controller writes them, from Kubernetes resources. Manage its Gateway Services, Routes and "+
			"plugins through the Ingress Controller (Ingress, HTTPRoute, KongPlugin, …), or set admin_url to a control plane of type "+
			"CLUSTER_TYPE_CONTROL_PLANE", cp, e.ClusterType)
	default:
		return fmt.Sprintf("%s is a control plane group (cluster type %s): Konnect keeps its core entities read only, as its "+
			"configuration is its members'. Set admin_url to one of its member control planes", cp, e.ClusterType)
	}
}

// planeCheck reads the control plane once per Client (per run) and says
// whether its core entities can be written.
type planeCheck struct {
	api  *konnectapi.Client
	mu   sync.Mutex
	done bool
	err  error
}

// CheckWritable is nil when the runtime group's Gateway Services, Routes
// and plugins can be written, and a *ReadOnlyControlPlaneError when it is a
// Konnect control plane whose core entities are read only (the Kong
// Ingress Controller's, or a control plane group). Only Konnect control
// planes are read (GET /v2/control-planes/{id}), at most once per Client:
// later calls have the first answer. A control plane that cannot be read
// (a token that may not, say) is taken as writable: the writes then meet
// Konnect's own answer.
func (c *Client) CheckWritable(ctx context.Context) error {
	if c.plane == nil {
		return nil
	}
	return c.plane.check(ctx)
}

func (p *planeCheck) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return p.err
	}
	cp, err := p.api.GetControlPlane(ctx)
	if err != nil {
		// Asked again only when this caller gave up; any other failure
		// stands for the run.
		p.done = ctx.Err() == nil
		return nil
	}
	p.done = true
	switch cp.Config.ClusterType {
	case konnectapi.ClusterTypeIngressController, konnectapi.ClusterTypeGroup:
		p.err = &ReadOnlyControlPlaneError{ID: p.api.ControlPlaneID, Name: cp.Name, ClusterType: cp.Config.ClusterType}
	}
	return p.err
}
