package konnectapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"go.yaml.in/yaml/v3"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// An API's version document (CAT /v3/apis/{apiId}/versions): the OpenAPI
// or AsyncAPI document the API serves, one per API, the one spec_content
// makes on create and current_version_summary summarises. Replacing its
// content there keeps the API, its id, labels and implementation.

// APIVersion is CAT ApiVersionResponse, without the content it echoes.
type APIVersion struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Spec    struct {
		Type string `json:"type"`
	} `json:"spec"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// Summary is the version as the API's current_version_summary has it.
func (v APIVersion) Summary() *VersionSummary {
	s := &VersionSummary{ID: v.ID, Version: v.Version}
	s.Spec.Type = v.Spec.Type
	return s
}

// versionBody is CAT CreateApiVersionRequest / APIVersionRequest.
type versionBody struct {
	Version string `json:"version"`
	Spec    struct {
		Content string `json:"content"`
	} `json:"spec"`
}

func versionPath(apiID, versionID string) string {
	p := apiPath(apiID) + "/versions"
	if versionID != "" {
		p += "/" + url.PathEscape(versionID)
	}
	return p
}

// DocumentVersion is an OpenAPI or AsyncAPI document's info.version; ""
// when it has none, or is not a JSON or YAML document.
func DocumentVersion(content string) string {
	var doc struct {
		Info struct {
			Version any `yaml:"version"`
		} `yaml:"info"`
	}
	if yaml.Unmarshal([]byte(content), &doc) != nil || doc.Info.Version == nil {
		return ""
	}
	return fmt.Sprint(doc.Info.Version)
}

// ListVersions lists an API's version documents (one at most).
func (c *Client) ListVersions(ctx context.Context, apiID string) ([]APIVersion, error) {
	return list[APIVersion](ctx, c, versionPath(apiID, ""), nil)
}

// UpdateVersion replaces a version document's content and version in
// place (PATCH: it carries the values, so it is retried as reads are).
func (c *Client) UpdateVersion(ctx context.Context, apiID, versionID, version, content string) (APIVersion, error) {
	body := versionBody{Version: version}
	body.Spec.Content = content
	var v APIVersion
	err := c.call(ctx, full, http.MethodPatch, versionPath(apiID, versionID), nil, body, &v)
	return v, err
}

// DeleteVersion deletes a version document; one already gone is not an
// error.
func (c *Client) DeleteVersion(ctx context.Context, apiID, versionID string) error {
	err := c.call(ctx, full, http.MethodDelete, versionPath(apiID, versionID), nil, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// PutVersion makes content (at version) the API's version document, in
// place: PATCH the one it has (known is its id as last read, "" when
// none was), else POST one. An API has one document, so whatever one it
// holds is the one to replace: a PATCH that finds known gone, a POST
// answered 409 (one exists) and a POST whose outcome is unknown are
// settled by listing the API's version and patching it; none there, the
// POST is sent again. A missing API is an *Error with status 404.
func (c *Client) PutVersion(ctx context.Context, apiID, known, version, content string) (APIVersion, error) {
	if known != "" {
		v, err := c.UpdateVersion(ctx, apiID, known, version, content)
		if !IsNotFound(err) {
			return v, err
		}
	}
	body := versionBody{Version: version}
	body.Spec.Content = content
	var lastErr error
	for attempt := 0; attempt < createAttempts; attempt++ {
		var v APIVersion
		err := c.call(kongapi.NoReplay(ctx), full, http.MethodPost, versionPath(apiID, ""), nil, body, &v)
		if err == nil {
			return v, nil
		}
		if !IsUnconfirmed(err) && !IsConflict(err) {
			return APIVersion{}, err
		}
		lastErr = err
		held, lerr := c.ListVersions(ctx, apiID)
		switch {
		case lerr != nil:
			return APIVersion{}, &UnsettledError{What: "version document of API " + apiID, Err: err, Check: lerr}
		case len(held) > 0:
			return c.UpdateVersion(ctx, apiID, held[0].ID, version, content)
		case IsConflict(err):
			return APIVersion{}, err
		}
		if err := pause(ctx, attempt); err != nil {
			return APIVersion{}, &UnsettledError{What: "version document of API " + apiID, Err: lastErr, Check: err}
		}
	}
	return APIVersion{}, lastErr
}

// RemoveVersions deletes the API's version document: known (its id as
// last read), or whichever the API holds when known is "" or gone.
func (c *Client) RemoveVersions(ctx context.Context, apiID, known string) error {
	if known != "" {
		err := c.call(ctx, full, http.MethodDelete, versionPath(apiID, known), nil, nil, nil)
		if !IsNotFound(err) {
			return err
		}
	}
	held, err := c.ListVersions(ctx, apiID)
	if err != nil {
		return err
	}
	for _, v := range held {
		if err := c.DeleteVersion(ctx, apiID, v.ID); err != nil {
			return err
		}
	}
	return nil
}

// PutVersion is Client.PutVersion; the run reads the API again after it.
func (c *Cache) PutVersion(ctx context.Context, apiID, known, version, content string) (APIVersion, error) {
	defer c.apis.forget(apiID)
	return c.Client.PutVersion(ctx, apiID, known, version, content)
}

// RemoveVersions is Client.RemoveVersions; the run reads the API again
// after it.
func (c *Cache) RemoveVersions(ctx context.Context, apiID, known string) error {
	defer c.apis.forget(apiID)
	return c.Client.RemoveVersions(ctx, apiID, known)
}
