// Package provider is the Terraform side of terraform-provider-servicehub:
// provider configuration, resources, data sources and plan-time validation.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ provider.Provider = (*servicehubProvider)(nil)

type servicehubProvider struct {
	version string
}

// New returns a constructor for the provider, as providerserver.Serve wants.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &servicehubProvider{version: version} }
}

func (p *servicehubProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "servicehub"
	resp.Version = p.version
}

func (p *servicehubProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages Kong Konnect Service Hub implementations (Gateway Services and Routes) on any Kong runtime group.",
	}
}

func (p *servicehubProvider) Configure(_ context.Context, _ provider.ConfigureRequest, _ *provider.ConfigureResponse) {
}

func (p *servicehubProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
}

func (p *servicehubProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}
