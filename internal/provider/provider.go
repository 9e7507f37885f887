// Package provider is the Terraform side of terraform-provider-servicehub:
// provider configuration, resources, data sources and plan-time validation.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ provider.Provider                  = (*servicehubProvider)(nil)
	_ provider.ProviderWithListResources = (*servicehubProvider)(nil)
)

type servicehubProvider struct {
	version string
	// tune adjusts the client configuration; tests use it to shrink backoff.
	tune func(*servicehub.Config)
}

// New returns a constructor for the provider, as providerserver.Serve wants.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &servicehubProvider{version: version} }
}

// configuredClient is what every resource and data source's Configure does
// with the provider's data: nil before the provider is configured
// (validation runs), the runtime group's *servicehub.Client after.
func configuredClient(data any, diags *diag.Diagnostics) *servicehub.Client {
	if data == nil {
		return nil
	}
	client, ok := data.(*servicehub.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *servicehub.Client, got %T. Please report this issue to the provider developers.", data))
	}
	return client
}

type providerModel struct {
	AdminURL             types.String `tfsdk:"admin_url"`
	Workspace            types.String `tfsdk:"workspace"`
	AdminToken           types.String `tfsdk:"admin_token"`
	KonnectToken         types.String `tfsdk:"konnect_token"`
	TLSSkipVerify        types.Bool   `tfsdk:"tls_skip_verify"`
	CACertificatePEM     types.String `tfsdk:"ca_certificate_pem"`
	ClientCertificatePEM types.String `tfsdk:"client_certificate_pem"`
	ClientKeyPEM         types.String `tfsdk:"client_key_pem"`
	Headers              types.Map    `tfsdk:"headers"`
	MaxRetries           types.Int64  `tfsdk:"max_retries"`
	RequestTimeout       types.String `tfsdk:"request_timeout"`
	MetricsURL           types.String `tfsdk:"metrics_url"`
	ProxyURL             types.String `tfsdk:"proxy_url"`
	KonnectURL           types.String `tfsdk:"konnect_url"`
	DefaultTags          types.Set    `tfsdk:"default_tags"`
}

func (p *servicehubProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "servicehub"
	resp.Version = p.version
}

func (p *servicehubProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages Kong Konnect Service Hub implementations (Gateway Services and Routes) on any Kong runtime group.",
		Attributes: map[string]schema.Attribute{
			"admin_url": schema.StringAttribute{
				Description: "Admin API URL of the runtime group: a Kong Gateway Admin API such as `http://localhost:8001`, or a Konnect control plane's " +
					"`https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities`. A Kong Gateway Enterprise workspace goes in `workspace`, not in this URL's path. " +
					"May also be set with `KONG_ADMIN_URL`. Defaults to `http://localhost:8001`.",
				Optional:   true,
				Validators: []validator.String{adminURLValidator{}},
			},
			"workspace": schema.StringAttribute{
				Description: "Kong Gateway Enterprise workspace to manage. May also be set with `KONG_WORKSPACE`. Defaults to the default workspace.",
				Optional:    true,
			},
			"admin_token": schema.StringAttribute{
				Description: "RBAC token for Kong Gateway, sent as the `Kong-Admin-Token` header. May also be set with `KONG_ADMIN_TOKEN`.",
				Optional:    true,
				Sensitive:   true,
			},
			"konnect_token": schema.StringAttribute{
				Description: "Konnect personal or system access token, sent as `Authorization: Bearer`. May also be set with `KONNECT_TOKEN`.",
				Optional:    true,
				Sensitive:   true,
			},
			"tls_skip_verify": schema.BoolAttribute{
				Description: "Skip verification of the Admin API's TLS certificate. Only for testing. May also be set with `KONG_TLS_SKIP_VERIFY`. Defaults to `false`.",
				Optional:    true,
			},
			"ca_certificate_pem": schema.StringAttribute{
				Description: "PEM-encoded CA certificate(s) to trust for the Admin API, in addition to the system roots.",
				Optional:    true,
			},
			"client_certificate_pem": schema.StringAttribute{
				Description: "PEM-encoded client certificate for mutual TLS to the Admin API. Requires `client_key_pem`.",
				Optional:    true,
			},
			"client_key_pem": schema.StringAttribute{
				Description: "PEM-encoded private key of `client_certificate_pem`.",
				Optional:    true,
				Sensitive:   true,
			},
			"headers": schema.MapAttribute{
				Description: "Extra HTTP headers sent with every Admin API request.",
				Optional:    true,
				ElementType: types.StringType,
			},
			"max_retries": schema.Int64Attribute{
				Description: "How many times a request is retried after a connection error, HTTP 429 (honouring `Retry-After`), 502, 503 or 504. Defaults to `5`.",
				Optional:    true,
				Validators:  []validator.Int64{int64validator.Between(0, 100)},
			},
			"request_timeout": schema.StringAttribute{
				Description: "Timeout of each Admin API request attempt, as a Go duration such as `\"30s\"` or `\"2m\"`. Defaults to `\"60s\"`.",
				Optional:    true,
				Validators:  []validator.String{durationValidator{}},
			},
			"metrics_url": schema.StringAttribute{
				Description: "Prometheus endpoint the runtime group's traffic is read from, for `servicehub_version_status`: Kong's Admin API " +
					"`/metrics`, or a data plane's Status API such as `http://localhost:8100/metrics`. May also be set with `KONG_METRICS_URL`. " +
					"Defaults to `<admin_url>/metrics`.",
				Optional: true,
			},
			"konnect_url": konnectURLAttribute(),
			"default_tags": schema.SetAttribute{
				Description: "Tags added to every entity the provider writes (Gateway Services, Routes, plugins, and the placeholder Gateway Services " +
					"of version moves), besides each resource's own `tags`, e.g. `[\"managed-by-terraform\"]`. They never appear in a resource's " +
					"`tags`; its computed `tags_all` shows them, and changing them updates every resource in place at the next apply. " +
					"May also be set with `" + defaultTagsEnv + "`, the tags separated by commas: `managed-by-terraform,team-payments`.",
				Optional:    true,
				ElementType: types.StringType,
			},
			"proxy_url": schema.StringAttribute{
				Description: "URL clients reach the runtime group's proxy at, used to build route URLs in `servicehub_version_status`. " +
					"May also be set with `KONG_PROXY_URL`. Defaults to `http://localhost:8000`.",
				Optional: true,
			},
		},
	}
}

func (p *servicehubProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	unknown := func(v interface{ IsUnknown() bool }, attr, env string) {
		if v.IsUnknown() {
			msg := fmt.Sprintf("The provider cannot create the Kong Admin API client because %s has a value that is only known after apply. "+
				"Set it statically in the configuration", attr)
			if env != "" {
				msg += fmt.Sprintf(", use the %s environment variable", env)
			}
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown value for "+attr,
				msg+", or apply the resource it depends on first (-target).")
		}
	}
	unknown(m.AdminURL, "admin_url", "KONG_ADMIN_URL")
	unknown(m.Workspace, "workspace", "KONG_WORKSPACE")
	unknown(m.AdminToken, "admin_token", "KONG_ADMIN_TOKEN")
	unknown(m.KonnectToken, "konnect_token", "KONNECT_TOKEN")
	unknown(m.TLSSkipVerify, "tls_skip_verify", "KONG_TLS_SKIP_VERIFY")
	unknown(m.CACertificatePEM, "ca_certificate_pem", "")
	unknown(m.ClientCertificatePEM, "client_certificate_pem", "")
	unknown(m.ClientKeyPEM, "client_key_pem", "")
	unknown(m.Headers, "headers", "")
	unknown(m.MaxRetries, "max_retries", "")
	unknown(m.RequestTimeout, "request_timeout", "")
	unknown(m.MetricsURL, "metrics_url", "KONG_METRICS_URL")
	unknown(m.ProxyURL, "proxy_url", "KONG_PROXY_URL")
	unknown(m.KonnectURL, "konnect_url", "KONNECT_SERVER_URL")
	unknown(m.DefaultTags, "default_tags", defaultTagsEnv)
	if resp.Diagnostics.HasError() {
		return
	}

	var cfg servicehub.Config
	cfg.AdminURL = stringOrEnv(m.AdminURL, "KONG_ADMIN_URL", servicehub.DefaultAdminURL)
	cfg.Workspace = stringOrEnv(m.Workspace, "KONG_WORKSPACE", "")
	cfg.AdminToken = stringOrEnv(m.AdminToken, "KONG_ADMIN_TOKEN", "")
	cfg.KonnectToken = stringOrEnv(m.KonnectToken, "KONNECT_TOKEN", "")
	cfg.CACertificatePEM = m.CACertificatePEM.ValueString()
	cfg.ClientCertificatePEM = m.ClientCertificatePEM.ValueString()
	cfg.ClientKeyPEM = m.ClientKeyPEM.ValueString()
	cfg.MaxRetries = servicehub.DefaultMaxRetries
	cfg.RequestTimeout = servicehub.DefaultRequestTimeout
	cfg.UserAgent = fmt.Sprintf("terraform-provider-servicehub/%s terraform/%s", p.version, req.TerraformVersion)

	if _, err := servicehub.ParseAdminURL(cfg.AdminURL); err != nil {
		detail := err.Error()
		if m.AdminURL.IsNull() {
			detail += " (from the KONG_ADMIN_URL environment variable)"
		}
		resp.Diagnostics.AddAttributeError(path.Root("admin_url"), "Invalid Kong Admin API URL", detail)
	} else {
		warnWorkspaceInAdminURL(cfg.AdminURL, cfg.Workspace, m.AdminURL, &resp.Diagnostics)
	}

	switch {
	case !m.TLSSkipVerify.IsNull():
		cfg.TLSSkipVerify = m.TLSSkipVerify.ValueBool()
	case os.Getenv("KONG_TLS_SKIP_VERIFY") != "":
		v, err := strconv.ParseBool(os.Getenv("KONG_TLS_SKIP_VERIFY"))
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("tls_skip_verify"), "Invalid KONG_TLS_SKIP_VERIFY",
				fmt.Sprintf("KONG_TLS_SKIP_VERIFY must be true or false, got %q.", os.Getenv("KONG_TLS_SKIP_VERIFY")))
		}
		cfg.TLSSkipVerify = v
	}

	certSet, keySet := cfg.ClientCertificatePEM != "", cfg.ClientKeyPEM != ""
	if certSet != keySet {
		missing, have := "client_key_pem", "client_certificate_pem"
		if keySet {
			missing, have = have, missing
		}
		resp.Diagnostics.AddAttributeError(path.Root(missing), "Incomplete client certificate",
			fmt.Sprintf("%s is set but %s is not; mutual TLS needs both the certificate and its private key.", have, missing))
	}

	if cfg.Workspace != "" && cfg.KonnectToken != "" {
		resp.Diagnostics.AddAttributeError(path.Root("workspace"), "Workspaces are not available on Konnect",
			"workspace selects a Kong Gateway Enterprise workspace; a Konnect control plane has none. Point admin_url at the control plane instead.")
	}

	if !m.Headers.IsNull() {
		headers := map[string]string{}
		resp.Diagnostics.Append(m.Headers.ElementsAs(ctx, &headers, false)...)
		cfg.Headers = headers
	}
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	if !m.RequestTimeout.IsNull() {
		d, err := time.ParseDuration(m.RequestTimeout.ValueString())
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout",
				fmt.Sprintf("request_timeout must be a positive duration such as \"30s\", got %q.", m.RequestTimeout.ValueString()))
		}
		cfg.RequestTimeout = d
	}
	cfg.DefaultTags = resolveDefaultTags(ctx, m.DefaultTags, &resp.Diagnostics)
	cfg.Status = statusConfig(m, cfg, &resp.Diagnostics)
	cfg.Konnect = konnectConfig(m, cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg.Log = requestLogger(cfg)
	if p.tune != nil {
		p.tune(&cfg)
	}
	// Terraform configures the provider once per walk, so the client and
	// its refresh cache live for one plan or one apply: a plan's reads
	// share one listing of each kind, taken while it runs.
	client, err := servicehub.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Kong Admin API client", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
}

// requestLogger sends kongapi's request log to tflog. kongapi never passes
// headers; masking the secrets anyway keeps a future field from leaking one.
func requestLogger(cfg servicehub.Config) func(context.Context, string, map[string]any) {
	var secrets []string
	for _, s := range []string{cfg.AdminToken, cfg.KonnectToken, cfg.ClientKeyPEM} {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	for _, v := range cfg.Headers {
		if v != "" {
			secrets = append(secrets, v)
		}
	}
	return func(ctx context.Context, msg string, fields map[string]any) {
		ctx = tflog.MaskLogStrings(ctx, secrets...)
		tflog.Debug(ctx, msg, fields)
	}
}

func stringOrEnv(v types.String, env, def string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	if s := strings.TrimSpace(os.Getenv(env)); s != "" {
		return s
	}
	return def
}

func (p *servicehubProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewImplementationResource,
		NewRouteResource,
		NewServiceVersionResource,
		NewPluginResource,
	}
}

// ListResources are the list resources of terraform query (Terraform 1.14).
func (p *servicehubProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewImplementationListResource,
		NewRouteListResource,
		NewServiceVersionListResource,
	}
}

func (p *servicehubProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewVersionStatusDataSource,
		NewImplementationDataSource,
		NewImplementationsDataSource,
		NewServiceVersionDataSource,
	}
}

// statusConfig resolves metrics_url and proxy_url, reporting bad values on
// the attribute (or variable) they came from.
func statusConfig(m providerModel, cfg servicehub.Config, diags *diag.Diagnostics) servicehub.StatusConfig {
	fromEnv := func(v types.String, env string) string {
		if v.IsNull() {
			return fmt.Sprintf(" (from the %s environment variable)", env)
		}
		return ""
	}
	metricsURL := stringOrEnv(m.MetricsURL, "KONG_METRICS_URL", "")
	if metricsURL == "" {
		// A bad admin_url is reported on its own attribute.
		metricsURL, _ = servicehub.MetricsURL(cfg.AdminURL)
	} else if _, err := servicehub.ParseMetricsURL(metricsURL); err != nil {
		diags.AddAttributeError(path.Root("metrics_url"), "Invalid metrics URL", err.Error()+fromEnv(m.MetricsURL, "KONG_METRICS_URL"))
	}
	proxyURL := stringOrEnv(m.ProxyURL, "KONG_PROXY_URL", servicehub.DefaultProxyURL)
	if _, err := servicehub.ParseProxyURL(proxyURL); err != nil {
		diags.AddAttributeError(path.Root("proxy_url"), "Invalid proxy URL", err.Error()+fromEnv(m.ProxyURL, "KONG_PROXY_URL"))
	}
	return servicehub.StatusConfig{MetricsURL: metricsURL, ProxyURL: proxyURL, Workspace: cfg.Workspace}
}
