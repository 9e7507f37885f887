package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// createdAtAttribute is Kong's created_at: set once, kept across updates
// (the provider resends it, since a PUT would otherwise reset it).
func createdAtAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		Description:   "Creation time, Unix seconds.",
		Computed:      true,
		PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
	}
}

// updatedAtAttribute is Kong's updated_at, unknown in any plan that writes.
func updatedAtAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		Description: "Last update time, Unix seconds.",
		Computed:    true,
	}
}
