package kongapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/kong/go-kong/kong"
)

// CreateService inserts a Gateway Service under the id it carries, with
// POST /services: unlike PUT, which replaces whatever holds the id, an
// insert fails when the id is taken (Kong: 400, code 3, "primary key
// violation"; Konnect: 400 "data constraint error" on field id). That
// failure is what lets concurrent runs agree on who created an entity at an
// id they all chose: the database's primary key picks exactly one.
//
// A retried POST whose first attempt was committed meets its own write and
// fails the same way; callers tell their own write from another's by what
// the entity holds (see servicehub).
func (c *Client) CreateService(ctx context.Context, s *kong.Service) (*kong.Service, error) {
	if s == nil || s.ID == nil || *s.ID == "" {
		return nil, errNoID
	}
	req, err := c.Kong.NewRequest(http.MethodPost, "/services", nil, s)
	if err != nil {
		return nil, err
	}
	var out kong.Service
	if _, err := c.Kong.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// IsPrimaryKeyViolation reports whether an insert failed because its id is
// taken: Kong's code 3 naming the id, or Konnect's "data constraint error"
// on the id field (Kong's koko control plane: store.checkID).
func IsPrimaryKeyViolation(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
		return false
	}
	if e.Code == CodePrimaryKey {
		if _, ok := e.Fields["id"]; ok {
			return true
		}
	}
	details, _ := e.Details.([]any)
	for _, d := range details {
		if m, ok := d.(map[string]any); ok && m["field"] == "id" {
			return true
		}
	}
	return false
}

// Group names the runtime group the client writes to, for ids derived from
// it: "konnect:<control plane id>" for a Konnect control plane, else
// "workspace:<name>" ("default" when none is set). Kong's primary keys are
// unique across workspaces, so an id derived without the workspace would
// collide between two workspaces implementing the same version. A control
// plane id is a UUID, which Konnect takes in either case: it is written in
// lower case, so that two configurations naming one control plane in two
// cases derive the same ids (and cannot both create one version).
func (c *Client) Group() string { return c.group }

func groupOf(adminURL *url.URL, workspace string) string {
	segs := strings.Split(strings.Trim(adminURL.Path, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "control-planes" && segs[i+1] != "" {
			return "konnect:" + strings.ToLower(segs[i+1])
		}
	}
	if workspace == "" {
		workspace = "default"
	}
	return "workspace:" + workspace
}
