package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// The provider's default_tags, as AWS's default_tags: added to every
// entity the provider writes, never shown in a resource's tags, and a
// change of them an in-place update of every resource.
//
// How a change of default_tags reaches the plan: each resource has a
// computed tags_all, planned as its tags with the default tags and read as
// every tag the entity carries in Kong besides the provider's servicehub:
// ones. A change of default_tags changes the planned tags_all and so plans
// an update that shows which tags come and go; a default tag removed in
// Kong by hand shows the same way, and is put back. Private state could
// hold the default tags written instead, but Terraform plans an update
// only when an attribute changes, so the plan would have to change one
// without saying why (updated_at unknown, say). tags_all also records which
// tags were default ones when last read, so that a tag leaving default_tags
// is not then taken for one of the resource's own (and shown as drift).

// defaultTagsEnv is default_tags' environment variable: the tags
// separated by commas, which Kong's tags cannot contain.
const defaultTagsEnv = "SERVICEHUB_DEFAULT_TAGS"

// tagsAllAttribute is every resource's tags_all.
func tagsAllAttribute() schema.SetAttribute {
	return schema.SetAttribute{
		Description: "Every tag the entity carries in Kong besides the provider's own `servicehub:` ones: `tags` and the provider's " +
			"`default_tags`, as planned, and what Kong holds, as read. A change of `default_tags` shows here as an in-place update.",
		Computed:    true,
		ElementType: types.StringType,
	}
}

// checkTag is what every tag the provider is given must pass: Kong's tag
// rule, not one of the provider's own, and not the Ingress Controller's.
func checkTag(tag string) error {
	if err := kongschema.ValidateTag(tag); err != nil {
		return err
	}
	return servicehub.ValidateUserTag(tag)
}

// resolveDefaultTags is default_tags from the configuration, else from
// SERVICEHUB_DEFAULT_TAGS; each checked, errors placed on the attribute
// and naming the variable when it came from there.
func resolveDefaultTags(ctx context.Context, v types.Set, diags *diag.Diagnostics) []string {
	var tags []string
	from := ""
	switch {
	case !v.IsNull():
		diags.Append(v.ElementsAs(ctx, &tags, false)...)
	default:
		from = fmt.Sprintf(" (from the %s environment variable)", defaultTagsEnv)
		for _, t := range strings.Split(os.Getenv(defaultTagsEnv), ",") {
			if t = strings.TrimSpace(t); t != "" && !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	for _, t := range tags {
		if err := checkTag(t); err != nil {
			diags.AddAttributeError(path.Root("default_tags"), "Invalid default_tags",
				fmt.Sprintf("The default tag %q is invalid%s: %s.", t, from, strings.TrimSuffix(err.Error(), ".")))
		}
	}
	return tags
}

// tagging is what a resource knows of the provider's tags: its
// default_tags (none before the provider is configured).
type tagging struct {
	defaults []string
}

func taggingOf(c *servicehub.Client) tagging {
	if c == nil {
		return tagging{}
	}
	return tagging{defaults: c.DefaultTags}
}

// planAll is the planned tags_all: tags, then the default tags it lacks;
// null when there are none; unknown while tags is.
func (t tagging) planAll(tags attr.Value) types.Set {
	own, known := tagStrings(tags)
	if !known {
		return types.SetUnknown(types.StringType)
	}
	return tagSet(union(own, t.defaults))
}

// planTagsAll sets tags_all in the plan of a resource whose ModifyPlan
// leaves the rest of the plan as Terraform proposed it.
func (t tagging) planTagsAll(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var tags types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("tags"), &tags)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), t.planAll(tags))...)
}

// written is what an entity's tags are on write: tags in their order,
// then the rest of tagsAll (the default tags), as the plan says.
func written(tags []*string, tagsAll types.Set) []*string {
	all, _ := tagStrings(tagsAll)
	out := append([]*string(nil), tags...)
	have := map[string]bool{}
	for _, t := range tags {
		if t != nil {
			have[*t] = true
		}
	}
	for _, t := range all {
		if !have[t] {
			out = append(out, &t)
		}
	}
	return out
}

// read splits the tags an entity carries in Kong (the provider's own
// already removed) into the resource's tags and tags_all. A tag is the
// resource's own unless it is a default tag, now or when last read (what
// tags_all held beyond tags), and not one the resource itself gave.
func (t tagging) read(kong []*string, priorTags, priorAll attr.Value) (own []*string, all types.Set) {
	given, _ := tagStrings(priorTags)
	before, _ := tagStrings(priorAll)
	defaults := map[string]bool{}
	for _, d := range append(append([]string(nil), t.defaults...), before...) {
		defaults[d] = true
	}
	for _, g := range given {
		delete(defaults, g)
	}
	var every []string
	for _, k := range kong {
		if k == nil {
			continue
		}
		every = append(every, *k)
		if !defaults[*k] {
			own = append(own, k)
		}
	}
	return own, tagSet(every)
}

// tagStrings are a known list or set of strings; known is false while it
// is unknown (null is known and empty).
func tagStrings(v attr.Value) (out []string, known bool) {
	if v == nil || v.IsNull() {
		return nil, true
	}
	if v.IsUnknown() {
		return nil, false
	}
	var elems []attr.Value
	switch c := v.(type) {
	case types.Set:
		elems = c.Elements()
	case types.List:
		elems = c.Elements()
	}
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return nil, false
		}
		out = append(out, s.ValueString())
	}
	return out, true
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, t := range b {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// tagSet is a set of tags; null when there are none, as Kong cannot tell
// none from an empty list.
func tagSet(tags []string) types.Set {
	if len(tags) == 0 {
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		if !seen[t] {
			seen[t] = true
			elems = append(elems, types.StringValue(t))
		}
	}
	return types.SetValueMust(types.StringType, elems)
}
