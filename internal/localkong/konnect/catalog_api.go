package konnect

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// The API resource: POST/GET /v3/apis, GET/PATCH/DELETE /v3/apis/{apiId}.

// apiFields are the properties of CreateApiRequest and UpdateApiRequest
// (both additionalProperties: false): readOnly ones are accepted and
// ignored, anything else is an unknown property.
var apiFields = map[string]bool{
	"id": true, "name": true, "description": true, "version": true, "current_version_summary": true,
	"slug": true, "api_spec_ids": true, "portals": true, "labels": true, "implementation_mode": true,
	"attributes": true, "created_at": true, "updated_at": true,
}

var (
	slugPattern      = regexp.MustCompile(`^[\w-]+$`)
	labelValue       = regexp.MustCompile(`^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$`)
	attributeKey     = regexp.MustCompile(`^[a-z0-9-_]{1,128}$`)
	attributeValue   = regexp.MustCompile(`^[^,<>]*$`)
	reservedLabelKey = []string{"kong", "konnect", "mesh", "kic", "_"}
)

func (p *platformRequest) createAPI() {
	body, bad, ok := p.object(apiFields, "spec_content")
	if !ok {
		return
	}
	a := &catAPI{labels: map[string]string{}, attributes: map[string][]string{}}
	if _, ok := body["name"]; !ok {
		bad = append(bad, ruleParam("name", "required", "name is a required field"))
	} else if name, ok := stringField(body, "name", 255, false, &bad); ok {
		a.name = name
	}
	a.description = optString(body, "description", 0, &bad)
	a.version = optString(body, "version", 255, &bad)
	a.slug = optSlug(body, &bad)
	if v, ok := body["labels"]; ok {
		applyLabels(a.labels, v, false, &bad)
	}
	if v, ok := body["attributes"]; ok {
		applyAttributes(a.attributes, v, &bad)
	}
	if v, ok := body["spec_content"]; ok {
		a.spec = parseSpecContent(v, a.version, &bad)
	}
	if len(bad) > 0 {
		p.fail(badRequest(sortParams(bad)...))
		return
	}
	if a.slug == nil {
		a.slug = defaultSlug(a.name, a.version)
	}
	p.locked(true, func(c *catalog) (int, any, *problem) {
		if pr := c.unique(a, ""); pr != nil {
			return 0, nil, pr
		}
		now := time.Now()
		a.id, a.seq, a.created, a.updated = uuid.NewString(), c.next(), now, now
		if a.spec != nil {
			a.spec.id, a.spec.created, a.spec.updated = uuid.NewString(), now, now
		}
		c.apis[a.id] = a
		return http.StatusCreated, c.apiJSON(a), nil
	})
}

func (p *platformRequest) readAPI(id string) {
	p.locked(false, func(c *catalog) (int, any, *problem) {
		a := c.apis[id]
		if a == nil {
			return 0, nil, problemNotFound()
		}
		return http.StatusOK, c.apiJSON(a), nil
	})
}

// patchAPI applies UpdateApiRequest. Labels and attributes sent replace
// the API's: keys left out are removed, as Konnect's own generated clients
// assume, and a null value (LabelsUpdate's values are nullable) is one
// left out; labels: null removes them all. A slug that was the default
// follows a new name or version; one set by hand stays. The document is
// silent on all three.
func (p *platformRequest) patchAPI(id string) {
	body, bad, ok := p.object(apiFields, "")
	if !ok {
		return
	}
	name, hasName := stringField(body, "name", 255, false, &bad)
	description := optString(body, "description", 0, &bad)
	version := optString(body, "version", 255, &bad)
	slug := optSlug(body, &bad)
	labels := map[string]string{}
	if v, ok := body["labels"]; ok && v != nil {
		applyLabels(labels, v, true, &bad)
	}
	attrs := map[string][]string{}
	if v, ok := body["attributes"]; ok {
		applyAttributes(attrs, v, &bad)
	}
	if len(bad) > 0 {
		p.fail(badRequest(sortParams(bad)...))
		return
	}
	p.locked(true, func(c *catalog) (int, any, *problem) {
		old := c.apis[id]
		if old == nil {
			return 0, nil, problemNotFound()
		}
		a := old.clone()
		if hasName {
			a.name = name
		}
		if _, ok := body["description"]; ok {
			a.description = description
		}
		if _, ok := body["version"]; ok {
			a.version = version
		}
		switch _, given := body["slug"]; {
		case given && slug != nil:
			a.slug = slug
		case given || sameSlug(old.slug, defaultSlug(old.name, old.version)):
			a.slug = defaultSlug(a.name, a.version)
		}
		if _, ok := body["labels"]; ok {
			a.labels = labels
		}
		if _, ok := body["attributes"]; ok {
			a.attributes = attrs
		}
		if len(a.labels) > 50 {
			return 0, nil, badRequest(maxParam("labels", "max_items", 50, "labels must have at most 50 entries"))
		}
		if pr := c.unique(a, a.id); pr != nil {
			return 0, nil, pr
		}
		a.updated = time.Now()
		c.apis[id] = a
		return http.StatusOK, c.apiJSON(a), nil
	})
}

// deleteAPI removes the API and with it its implementation (silent in the
// spec; an implementation cannot outlive its API's path).
func (p *platformRequest) deleteAPI(id string) {
	p.locked(true, func(c *catalog) (int, any, *problem) {
		if c.apis[id] == nil {
			return 0, nil, problemNotFound()
		}
		delete(c.apis, id)
		if im := c.implOf(id); im != nil {
			delete(c.impls, im.id)
		}
		return http.StatusNoContent, nil, nil
	})
}

// unique enforces "the name + version combination must be unique" (an
// unversioned API conflicts with an unversioned one of the same name) and,
// as the spec implies for slugs, one API per slug. POST lists no 409; this
// is the ConflictError shape PATCH lists.
func (c *catalog) unique(a *catAPI, self string) *problem {
	for _, o := range c.apis {
		if o.id == self {
			continue
		}
		if o.name == a.name && sameSlug(o.version, a.version) {
			if a.version == nil {
				return problemConflict(fmt.Sprintf("API with name [%s] and no version already exists", a.name))
			}
			return problemConflict(fmt.Sprintf("API with name [%s] and version [%s] already exists", a.name, *a.version))
		}
		if a.slug != nil && sameSlug(o.slug, a.slug) {
			return problemConflict(fmt.Sprintf("API with slug [%s] already exists", *a.slug))
		}
	}
	return nil
}

func (a *catAPI) clone() *catAPI {
	b := *a
	b.labels = make(map[string]string, len(a.labels))
	for k, v := range a.labels {
		b.labels[k] = v
	}
	b.attributes = make(map[string][]string, len(a.attributes))
	for k, v := range a.attributes {
		b.attributes[k] = v
	}
	return &b
}

// apiJSON is ApiResponseSchema: every required field present, nullable
// ones as null, portals and api_spec_ids as [] when empty.
func (c *catalog) apiJSON(a *catAPI) map[string]any {
	labels := map[string]any{}
	for k, v := range a.labels {
		labels[k] = v
	}
	attrs := map[string]any{}
	for k, v := range a.attributes {
		attrs[k] = v
	}
	var summary any
	specIDs := []string{}
	if a.spec != nil {
		summary = map[string]any{
			"id": a.spec.id, "version": a.spec.version, "spec": map[string]any{"type": a.spec.typ},
			"created_at": catalogTime(a.spec.created), "updated_at": catalogTime(a.spec.updated),
		}
		specIDs = append(specIDs, a.spec.id)
	}
	// A linked gateway service is Konnect's gateway_entity_binding mode.
	var mode any
	if c.implOf(a.id) != nil {
		mode = "gateway_entity_binding"
	}
	return map[string]any{
		"id":                      a.id,
		"name":                    a.name,
		"description":             nullable(a.description),
		"version":                 nullable(a.version),
		"slug":                    nullable(a.slug),
		"current_version_summary": summary,
		"api_spec_ids":            specIDs,
		"portals":                 []any{},
		"labels":                  labels,
		"attributes":              attrs,
		"implementation_mode":     mode,
		"created_at":              catalogTime(a.created),
		"updated_at":              catalogTime(a.updated),
	}
}

func nullable(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func sameSlug(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// optString reads an optional, nullable string field; nil when absent or null.
func optString(body map[string]any, field string, maxLen int, bad *[]invalidParam) *string {
	if s, ok := stringField(body, field, maxLen, true, bad); ok {
		return &s
	}
	return nil
}

func optSlug(body map[string]any, bad *[]invalidParam) *string {
	s := optString(body, "slug", 0, bad)
	if s != nil && !slugPattern.MatchString(*s) {
		*bad = append(*bad, ruleParam("slug", "matches_regex", `slug must match /^[\w-]+$/ regular expression`))
		return nil
	}
	return s
}

// applyLabels checks a Labels (or, for PATCH, LabelsUpdate) object into
// dst; keys given as null (PATCH only) are left out.
func applyLabels(dst map[string]string, v any, update bool, bad *[]invalidParam) {
	m, ok := v.(map[string]any)
	if !ok {
		*bad = append(*bad, ruleParam("labels", "is_object", "labels must be an object"))
		return
	}
	if len(m) > 50 {
		*bad = append(*bad, maxParam("labels", "max_items", 50, "labels must have at most 50 entries"))
		return
	}
	for k, raw := range m {
		field := "labels." + k
		if why := labelKeyProblem(k); why != "" {
			*bad = append(*bad, ruleParam(field, "is_label", why))
			continue
		}
		if raw == nil && update {
			continue
		}
		s, ok := raw.(string)
		if !ok || len(s) > 63 || !labelValue.MatchString(s) {
			*bad = append(*bad, ruleParam(field, "is_label",
				"label values must be 1-63 characters: letters, digits, '-', '_' or '.', starting and ending with a letter or digit"))
			continue
		}
		dst[k] = s
	}
}

func labelKeyProblem(k string) string {
	if k == "" || len(k) > 63 {
		return "label keys must be 1-63 characters long"
	}
	for _, p := range reservedLabelKey {
		if strings.HasPrefix(strings.ToLower(k), p) {
			return `label keys cannot start with "kong", "konnect", "mesh", "kic", or "_"`
		}
	}
	return ""
}

// applyAttributes checks ApiAttributes; a null list (allowed by the
// schema) leaves the key out, which on PATCH removes it.
func applyAttributes(dst map[string][]string, v any, bad *[]invalidParam) {
	m, ok := v.(map[string]any)
	if !ok {
		*bad = append(*bad, ruleParam("attributes", "is_object", "attributes must be an object"))
		return
	}
	for k, raw := range m {
		field := "attributes." + k
		if !attributeKey.MatchString(k) {
			*bad = append(*bad, ruleParam(field, "invalid", "attribute keys may contain lowercase letters, numbers, hyphens and underscores (1-128)"))
			continue
		}
		if raw == nil {
			continue
		}
		list, ok := raw.([]any)
		if !ok || len(list) < 1 || len(list) > 20 {
			*bad = append(*bad, ruleParam(field, "is_array", "attribute values must be a list of 1 to 20 strings"))
			continue
		}
		vals := make([]string, 0, len(list))
		for _, item := range list {
			s, ok := item.(string)
			if !ok || s == "" || len(s) > 512 || !attributeValue.MatchString(s) {
				*bad = append(*bad, ruleParam(field, "invalid", "attribute values must be strings of 1-512 characters without ',', '<' or '>'"))
				vals = nil
				break
			}
			vals = append(vals, s)
		}
		if vals != nil {
			dst[k] = vals
		}
	}
}

// defaultSlug is slugify(name + version) as the spec's example has it:
// "myAPI" + "v1" → "my-api-v1". Words split at anything not a letter or
// digit and where a lower-case letter meets an upper-case one (and before
// the last capital of an acronym followed by lower case: "APIKey" → "api-key");
// lower-cased and joined by "-". Nothing left means no slug (null).
func defaultSlug(name string, version *string) *string {
	words := slugWords(name)
	if version != nil {
		words = append(words, slugWords(*version)...)
	}
	if len(words) == 0 {
		return nil
	}
	s := strings.Join(words, "-")
	return &s
}

func slugWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = nil
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

func sortParams(ps []invalidParam) []invalidParam {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].field < ps[j].field })
	return ps
}
