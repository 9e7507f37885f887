package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestSchemaDescriptions: the registry docs are generated from the schema,
// so every attribute, nested ones included, needs a description, and so
// does every resource and data source.
func TestSchemaDescriptions(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("%s: %s", d.Summary, d.Detail)
	}

	schemas := map[string]*tfprotov6.Schema{"provider": resp.Provider}
	for name, s := range resp.ResourceSchemas {
		schemas["resource "+name] = s
	}
	for name, s := range resp.DataSourceSchemas {
		schemas["data source "+name] = s
	}
	if len(resp.ResourceSchemas) == 0 || len(resp.DataSourceSchemas) == 0 {
		t.Fatalf("no resources (%d) or data sources (%d)", len(resp.ResourceSchemas), len(resp.DataSourceSchemas))
	}
	var checked int
	for name, s := range schemas {
		if name != "provider" && strings.TrimSpace(s.Block.Description) == "" {
			t.Errorf("%s has no description", name)
		}
		checked += checkBlock(t, name, s.Block)
	}
	if checked < 20 {
		t.Errorf("checked only %d attributes", checked)
	}
}

func checkBlock(t *testing.T, at string, b *tfprotov6.SchemaBlock) int {
	t.Helper()
	n := checkAttributes(t, at, b.Attributes)
	for _, nb := range b.BlockTypes {
		if strings.TrimSpace(nb.Block.Description) == "" {
			t.Errorf("%s: block %s has no description", at, nb.TypeName)
		}
		n += checkBlock(t, at+"."+nb.TypeName, nb.Block)
	}
	return n
}

func checkAttributes(t *testing.T, at string, attrs []*tfprotov6.SchemaAttribute) int {
	t.Helper()
	n := 0
	for _, a := range attrs {
		n++
		if strings.TrimSpace(a.Description) == "" {
			t.Errorf("%s: attribute %s has no description", at, a.Name)
		}
		if a.NestedType != nil {
			n += checkAttributes(t, at+"."+a.Name, a.NestedType.Attributes)
		}
	}
	return n
}

// configuring is what a description says about setting an attribute: on a
// data source's read-only attribute it is wrong, as the value is read, not
// set (the implementation data source borrows the resource's descriptions).
var configuring = regexp.MustCompile(`(?i)must be set|must agree|\bchanging\b|\bremoving\b|\beither\b|not allowed|\bunset\b|` +
	`\brequired\b|defaults to|is written|\bdeletes\b|\bset exactly\b`)

// TestDataSourceDescriptionsDescribeReading: the read-only attributes of
// every data source say what is read, not how to configure it.
func TestDataSourceDescriptionsDescribeReading(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	var walk func(at string, attrs []*tfprotov6.SchemaAttribute)
	walk = func(at string, attrs []*tfprotov6.SchemaAttribute) {
		for _, a := range attrs {
			if a.Computed && !a.Optional {
				checked++
				if m := configuring.FindString(a.Description); m != "" {
					t.Errorf("%s.%s is read-only, but its description says %q: %s", at, a.Name, m, a.Description)
				}
			}
			if a.NestedType != nil {
				walk(at+"."+a.Name, a.NestedType.Attributes)
			}
		}
	}
	for name, s := range resp.DataSourceSchemas {
		walk("data."+name, s.Block.Attributes)
	}
	if checked < 30 {
		t.Errorf("checked only %d read-only attributes", checked)
	}
}
