package servicehub

import (
	"context"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// putSpec makes ch.Spec the version's specification, in place: its API
// version document (/v3/apis/{id}/versions) is replaced, created or
// deleted, and the API itself stays, with its id, labels and
// implementation. The document's version is its own info.version, else
// the service version's (as the catalog takes spec_content on create).
func (c *Catalog) putSpec(ctx context.Context, prior ServiceVersion, ch VersionChange) error {
	var err error
	if ch.Spec == nil {
		err = c.api.RemoveVersions(ctx, prior.ID, prior.SpecVersionID)
	} else {
		version := konnectapi.DocumentVersion(*ch.Spec)
		if version == "" {
			version = prior.Version
			if ch.Version != nil {
				version = *ch.Version
			}
		}
		_, err = c.api.PutVersion(ctx, prior.ID, prior.SpecVersionID, version, *ch.Spec)
	}
	if konnectapi.IsNotFound(err) {
		return &VersionNotFoundError{ID: prior.ID, Err: err}
	}
	return classifyCatalog(err)
}
