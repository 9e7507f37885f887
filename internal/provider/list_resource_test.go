package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/kong/go-kong/kong"
)

// listResults gives at most Limit results, and builds the resource of
// those only: Terraform stops reading at its limit too, but a listing of
// thousands must not flatten them all for five.
func TestListResultsLimit(t *testing.T) {
	ctx := context.Background()
	items := make([]found, 5)
	built := 0
	for i := range items {
		items[i] = found{id: fmt.Sprintf("id-%d", i), display: fmt.Sprintf("route %d", i), resource: func(ctx context.Context) (tftypes.Value, diag.Diagnostics) {
			built++
			m, diags := flattenRoute(ctx, &kong.Route{ID: kong.String(fmt.Sprintf("id-%d", i)), Name: kong.String(fmt.Sprintf("r%d", i)), Paths: kong.StringSlice("/")}, routeModel{}, tagging{})
			raw, d := routeCodec.set(ctx, m)
			return raw, append(diags, d...)
		}}
	}
	for _, c := range []struct {
		limit   int64
		include bool
		want    int
	}{{2, true, 2}, {0, true, 5}, {10, false, 5}, {1, false, 1}} {
		built = 0
		req := list.ListRequest{Limit: c.limit, IncludeResource: c.include, ResourceSchema: routeSchema(), ResourceIdentitySchema: idIdentitySchema("Route id.")}
		var got []list.ListResult
		for r := range listResults(ctx, req, items) {
			got = append(got, r)
		}
		if len(got) != c.want {
			t.Fatalf("limit %d: %d results, want %d", c.limit, len(got), c.want)
		}
		wantBuilt := 0
		if c.include {
			wantBuilt = c.want
		}
		if built != wantBuilt {
			t.Errorf("limit %d, include_resource %v: %d resources built, want %d", c.limit, c.include, built, wantBuilt)
		}
		for i, r := range got {
			var id string
			if diags := r.Identity.GetAttribute(ctx, path.Root("id"), &id); diags.HasError() || id != items[i].id {
				t.Errorf("result %d: identity %q %v, want %q", i, id, diags, items[i].id)
			}
			if r.DisplayName != items[i].display || r.Diagnostics.HasError() {
				t.Errorf("result %d: %q %v", i, r.DisplayName, r.Diagnostics)
			}
			if c.include && stringAttr(r.Resource.Raw, "name") != fmt.Sprintf("r%d", i) {
				t.Errorf("result %d: resource %v", i, r.Resource.Raw)
			}
		}
	}
}

// TestListAndIdentityDescriptions: the list resources and the identity
// schemas are documented from their descriptions too (docs/list-resources,
// each resource's Identity Schema). Every resource has an identity, its id
// (design/identity-and-lists.md), and every list resource a resource.
func TestListAndIdentityDescriptions(t *testing.T) {
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(resp.Diagnostics, ids.Diagnostics...) {
		t.Errorf("%s: %s", d.Summary, d.Detail)
	}
	for name := range resp.ResourceSchemas {
		is := ids.IdentitySchemas[name]
		if is == nil || len(is.IdentityAttributes) != 1 || is.IdentityAttributes[0].Name != "id" || !is.IdentityAttributes[0].RequiredForImport {
			t.Errorf("resource %s: identity schema %+v, want id alone, required for import", name, is)
			continue
		}
		if strings.TrimSpace(is.IdentityAttributes[0].Description) == "" {
			t.Errorf("resource %s: identity id has no description", name)
		}
	}
	for name, ls := range resp.ListResourceSchemas {
		if resp.ResourceSchemas[name] == nil {
			t.Errorf("list resource %s lists no resource", name)
		}
		if strings.TrimSpace(ls.Block.Description) == "" {
			t.Errorf("list resource %s has no description", name)
		}
		checkBlock(t, "list resource "+name, ls.Block)
	}
	for _, name := range []string{"servicehub_implementation", "servicehub_route", "servicehub_service_version"} {
		if resp.ListResourceSchemas[name] == nil {
			t.Errorf("no list resource %s", name)
		}
	}
}
