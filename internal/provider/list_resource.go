package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// List resources (Terraform 1.14 and later, `terraform query`): each finds
// the entities of one resource type already in the runtime group, with
// the filters of its list block, from one listing per kind of entity
// (servicehub's inventory.go), and answers with each one's identity, a
// display name and, when include_resource is set, the resource as an
// import would read it, so that `terraform query -generate-config-out`
// writes configuration that imports with no change.

// found is one entity a list resource answers with.
type found struct {
	id, display string
	// resource is the resource's state as Read would record it after an
	// import; called only when include_resource is set.
	resource func(context.Context) (tftypes.Value, diag.Diagnostics)
}

// listResults streams items as results, at most req.Limit of them (all
// when it is 0): the listing itself is already complete, so the limit only
// bounds what Terraform receives.
func listResults(ctx context.Context, req list.ListRequest, items []found) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i, it := range items {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			r := req.NewListResult(ctx)
			r.DisplayName = it.display
			r.Identity.Raw = idIdentity(it.id)
			if req.IncludeResource {
				raw, diags := it.resource(ctx)
				r.Diagnostics.Append(diags...)
				r.Resource.Raw = raw
			}
			if !push(r) {
				return
			}
		}
	}
}

// listConfig decodes a list block's config into T; ok is false (and the
// stream holds the diagnostics) when it cannot.
func listConfig[T any](ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) (m T, ok bool) {
	diags := req.Config.Get(ctx, &m)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return m, false
	}
	return m, true
}

// listFailed answers a list with the diagnostics of a failed listing.
func listFailed(stream *list.ListResultsStream, add func(*diag.Diagnostics)) {
	var diags diag.Diagnostics
	add(&diags)
	stream.Results = list.ListResultsStreamDiagnostics(diags)
}
