package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Konnect keeps the core entities of some control planes read only: a
// Kong Ingress Controller's (CLUSTER_TYPE_K8S_INGRESS_CONTROLLER) and a
// control plane group's. Implementations, routes and plugins are Gateway
// Services, Routes and Plugins, so a plan that would create, change or
// delete one there is refused, before anything is written. The control plane is read once per
// run, on Konnect only (servicehub.Client.CheckWritable), and only by a
// plan with something to write: a no-op plan reads nothing.

// writableCheck is servicehub.Client.CheckWritable.
type writableCheck func(context.Context) error

// refuseReadOnly checks, once ModifyPlan has planned (call it deferred),
// that a planned change of a core entity can be written.
func refuseReadOnly(ctx context.Context, check writableCheck, noun string, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if check == nil || resp.Diagnostics.HasError() {
		return
	}
	destroy := resp.Plan.Raw.IsNull()
	if !req.State.Raw.IsNull() && !destroy && resp.Plan.Raw.Equal(req.State.Raw) {
		return
	}
	addReadOnlyError(&resp.Diagnostics, noun, destroy, check(ctx))
}
