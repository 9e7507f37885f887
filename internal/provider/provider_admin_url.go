package provider

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// warnWorkspaceInAdminURL warns when admin_url's path is one segment, as
// in http://kong:8001/team-a, and no workspace is set: Kong Gateway
// Enterprise reads that segment as the workspace, but the provider does
// not. It derives the slot ids that keep one implementation per version
// from the workspace setting, and counts the version's traffic in that
// workspace, so runs reaching team-a that way would share the default
// workspace's slots and read its counts. A path of several segments is a
// proxy's prefix or a Konnect control plane, not a workspace.
func warnWorkspaceInAdminURL(adminURL, workspace string, fromConfig types.String, diags *diag.Diagnostics) {
	if workspace != "" {
		return
	}
	if _, _, konnect := servicehub.KonnectBase(adminURL, ""); konnect {
		return
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return // reported on admin_url already
	}
	seg := strings.Trim(u.Path, "/")
	if seg == "" || strings.Contains(seg, "/") {
		return
	}
	base := *u
	base.Path, base.RawPath = "", ""
	source := ""
	if fromConfig.IsNull() {
		source = " (from the KONG_ADMIN_URL environment variable)"
	}
	diags.AddAttributeWarning(path.Root("admin_url"), "admin_url names a workspace in its path",
		fmt.Sprintf("admin_url %q%s ends in /%s, which Kong Gateway Enterprise reads as a workspace. Set workspace = %q "+
			"(or KONG_WORKSPACE) and admin_url = %q instead: the provider keeps one implementation per version across runs, "+
			"and counts a version's requests, by the workspace setting: without it, it takes this runtime group for the default workspace. "+
			"If /%s is the path of a reverse proxy in front of the Admin API rather than a workspace, ignore this warning.",
			base.Redacted()+"/"+seg, source, seg, seg, base.Redacted(), seg))
}
