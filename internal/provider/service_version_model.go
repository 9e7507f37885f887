package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

type serviceVersionModel struct {
	ID          types.String `tfsdk:"id"`
	Service     types.String `tfsdk:"service"`
	Version     types.String `tfsdk:"version"`
	Description types.String `tfsdk:"description"`
	Slug        types.String `tfsdk:"slug"`
	Labels      types.Map    `tfsdk:"labels"`
	SpecContent types.String `tfsdk:"spec_content"`
	SpecVersion types.String `tfsdk:"spec_version"`
	SpecID      types.String `tfsdk:"spec_version_id"`
	CreatedAt   types.String `tfsdk:"created_at"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

// expand is the version a plan describes.
func (m serviceVersionModel) expand(ctx context.Context) (servicehub.ServiceVersion, diag.Diagnostics) {
	v := servicehub.ServiceVersion{
		ID: m.ID.ValueString(), Service: m.Service.ValueString(), Version: m.Version.ValueString(),
		Description: m.Description.ValueStringPointer(), Labels: map[string]string{},
	}
	if !m.Slug.IsUnknown() {
		v.Slug = m.Slug.ValueString()
	}
	diags := m.Labels.ElementsAs(ctx, &v.Labels, false)
	return v, diags
}

// flattenServiceVersion records what the catalog holds. prior (plan or
// state) decides what the catalog cannot tell: labels {} versus none, and
// spec_content, which it never returns.
func flattenServiceVersion(ctx context.Context, v servicehub.ServiceVersion, prior serviceVersionModel) (serviceVersionModel, diag.Diagnostics) {
	m := serviceVersionModel{
		ID:          types.StringValue(v.ID),
		Service:     types.StringValue(v.Service),
		Version:     optionalString(v.Version),
		Description: types.StringPointerValue(v.Description),
		Slug:        optionalString(v.Slug),
		SpecContent: prior.SpecContent,
		SpecVersion: optionalString(v.SpecVersion),
		SpecID:      optionalString(v.SpecVersionID),
		CreatedAt:   types.StringValue(v.CreatedAt),
		UpdatedAt:   types.StringValue(v.UpdatedAt),
	}
	if m.SpecContent.IsUnknown() {
		m.SpecContent = types.StringNull()
	}
	// The only drift of spec_content the catalog shows: its spec is gone.
	if !v.HasSpec {
		m.SpecContent = types.StringNull()
	}
	var diags diag.Diagnostics
	if len(v.Labels) == 0 && (prior.Labels.IsNull() || prior.Labels.IsUnknown()) {
		m.Labels = types.MapNull(types.StringType)
	} else {
		m.Labels, diags = types.MapValueFrom(ctx, types.StringType, v.Labels)
	}
	return m, diags
}

// change is the PATCH that takes the catalog from state to plan.
func (m serviceVersionModel) change(ctx context.Context, state serviceVersionModel) (servicehub.VersionChange, diag.Diagnostics) {
	var ch servicehub.VersionChange
	if !m.Service.Equal(state.Service) {
		ch.Service = m.Service.ValueStringPointer()
	}
	if !m.Version.Equal(state.Version) {
		ch.Version = m.Version.ValueStringPointer()
	}
	if !m.Description.Equal(state.Description) {
		ch.SetDescription, ch.Description = true, m.Description.ValueStringPointer()
	}
	if !m.Slug.IsUnknown() && !m.Slug.IsNull() && !m.Slug.Equal(state.Slug) {
		ch.Slug = m.Slug.ValueStringPointer()
	}
	if !m.SpecContent.Equal(state.SpecContent) {
		ch.SetSpec, ch.Spec = true, m.SpecContent.ValueStringPointer()
	}
	var diags diag.Diagnostics
	if !m.Labels.Equal(state.Labels) {
		ch.Labels = map[string]string{}
		diags = m.Labels.ElementsAs(ctx, &ch.Labels, false)
	}
	return ch, diags
}

// labelsValidator applies the catalog's rules on labels at plan time.
type labelsValidator struct{}

var _ validator.Map = labelsValidator{}

func (labelsValidator) Description(context.Context) string {
	return fmt.Sprintf("at most %d labels; keys and values as the API catalog allows", servicehub.MaxLabels)
}
func (v labelsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (labelsValidator) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	if len(elems) > servicehub.MaxLabels {
		resp.Diagnostics.AddAttributeError(req.Path, "Too many labels",
			fmt.Sprintf("labels has %d entries; at most %d are allowed: the API catalog's %d, less the provider's own label.", len(elems), servicehub.MaxLabels, servicehub.MaxLabels+1))
	}
	for k, e := range elems {
		p := req.Path.AtMapKey(k)
		if err := servicehub.ValidateLabelKey(k); err != nil {
			resp.Diagnostics.AddAttributeError(p, "Invalid label key", fmt.Sprintf("Label key %q is invalid: %s.", k, err))
		}
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := servicehub.ValidateLabelValue(s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(p, "Invalid label value", fmt.Sprintf("The value %q of label %q is invalid: %s.", s.ValueString(), k, err))
		}
	}
}

var (
	catalogNameRule = ruleValidator{"1 to 255 characters", servicehub.ValidateCatalogName}
	slugRule        = ruleValidator{"letters, digits, '_' and '-'", servicehub.ValidateSlug}
)

// catalogFieldPath is the attribute of a catalog field named in a 400's
// invalid_parameters ("name", "labels.env", …).
func catalogFieldPath(field string) (path.Path, bool) {
	switch {
	case field == "name":
		return path.Root("service"), true
	case field == "version", field == "description", field == "slug", field == "spec_content", field == "labels":
		return path.Root(field), true
	case len(field) > len("labels.") && field[:len("labels.")] == "labels.":
		return path.Root("labels").AtMapKey(field[len("labels."):]), true
	}
	return path.Empty(), false
}
