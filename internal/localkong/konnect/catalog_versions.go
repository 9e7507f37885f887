package konnect

import (
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// An API's version document: /v3/apis/{apiId}/versions[/{versionId}]
// (create, list, get, update, delete) and the deprecated
// /v3/apis/{apiId}/specifications[/{specId}], which the document keeps
// beside it. Both are views of the API's one document (catAPI.spec: "You
// can only have one version for an API"), the one spec_content creates
// and current_version_summary summarises: its id is the version's and the
// specification's. A second one is the document's 409 ApiSpecConflict.

// docView is which of the two APIs a request is to.
type docView int

const (
	asVersion       docView = iota // /versions: ApiVersionResponse
	asSpecification                // /specifications: ApiSpecResponse
)

func viewOf(seg string) docView {
	if seg == "specifications" {
		return asSpecification
	}
	return asVersion
}

// Request properties: CreateApiVersionRequest and APIVersionRequest
// (version, spec {content}); CreateApiSpecRequest and ApiSpec, whose
// readOnly properties are accepted and ignored.
var (
	versionFields = map[string]bool{"version": true, "spec": true}
	specFields    = map[string]bool{"id": true, "content": true, "validation_messages": true, "type": true, "created_at": true, "updated_at": true}
	specTypes     = []string{"oas2", "oas3", "asyncapi"}
)

// docBody is a version or specification request, checked.
type docBody struct {
	doc     *catSpec // the parsed document, nil when none was sent
	version *string  // version sent (versions only)
}

// readDocBody checks a request body of either view; create requires the
// document. False means it already failed.
func (p *platformRequest) readDocBody(as docView, create bool) (docBody, bool) {
	allowed := versionFields
	if as == asSpecification {
		allowed = specFields
	}
	body, bad, ok := p.object(allowed, "")
	if !ok {
		return docBody{}, false
	}
	var b docBody
	if as == asVersion {
		b.version = optString(body, "version", 0, &bad)
		switch v, given := body["version"]; {
		case given && v == nil:
			bad = append(bad, ruleParam("version", "is_string", "version must be a string"))
		case b.version != nil && *b.version == "":
			bad = append(bad, minParam("version", "min_length", "version must be longer than or equal to 1 characters"))
		}
		switch spec, given := body["spec"]; {
		case !given && create:
			bad = append(bad, ruleParam("spec", "required", "spec is a required field"))
		case given:
			b.doc = p.versionSpec(spec, create, &bad)
		}
	} else {
		switch content, given := body["content"]; {
		case !given && create:
			bad = append(bad, ruleParam("content", "required", "content is a required field"))
		case given:
			b.doc = parseDocument("content", content, &bad)
		}
		if t, given := body["type"]; given {
			s, _ := t.(string)
			switch {
			case !contains(specTypes, s):
				bad = append(bad, enumParam("type", specTypes))
			case b.doc != nil && s != b.doc.typ:
				bad = append(bad, ruleParam("type", "invalid", fmt.Sprintf("type %s does not match the content, which is %s", s, b.doc.typ)))
			}
		}
	}
	if len(bad) > 0 {
		p.fail(badRequest(sortParams(bad)...))
		return docBody{}, false
	}
	return b, true
}

// versionSpec checks a version's spec object: {content}, content required
// on create.
func (p *platformRequest) versionSpec(v any, create bool, bad *[]invalidParam) *catSpec {
	spec, ok := v.(map[string]any)
	if !ok {
		*bad = append(*bad, ruleParam("spec", "is_object", "spec must be an object"))
		return nil
	}
	for k := range spec {
		if k != "content" {
			*bad = append(*bad, unknownProperty("spec."+k))
		}
	}
	content, given := spec["content"]
	if !given {
		if create {
			*bad = append(*bad, ruleParam("spec.content", "required", "spec.content is a required field"))
		}
		return nil
	}
	return parseDocument("spec.content", content, bad)
}

func (p *platformRequest) createDocument(apiID string, as docView) {
	b, ok := p.readDocBody(as, true)
	if !ok {
		return
	}
	sp := b.doc
	if b.version != nil {
		sp.version = *b.version
	}
	p.locked(true, func(c *catalog) (int, any, *problem) {
		a := c.apis[apiID]
		switch {
		case a == nil:
			return 0, nil, problemNotFound()
		case a.spec != nil:
			// ApiSpecConflictExample.
			return 0, nil, problemConflict(fmt.Sprintf("Specification for API '%s' already exists", apiID))
		}
		// A specification has no version of its own: its document's, else
		// the API's (as spec_content on create).
		if sp.version == "" && as == asSpecification && a.version != nil {
			sp.version = *a.version
		}
		if sp.version == "" {
			return 0, nil, badRequest(missingVersion())
		}
		now := time.Now()
		sp.id, sp.created, sp.updated = uuid.NewString(), now, now
		b := a.clone()
		b.spec, b.updated = sp, now
		c.apis[apiID] = b
		return http.StatusCreated, sp.json(as, true), nil
	})
}

// document returns the API's document named docID, or the 404 to send.
func (c *catalog) document(apiID, docID string) (*catAPI, *problem) {
	a := c.apis[apiID]
	if a == nil || a.spec == nil || a.spec.id != docID {
		return nil, problemNotFound()
	}
	return a, nil
}

func (p *platformRequest) readDocument(apiID, docID string, as docView) {
	p.locked(false, func(c *catalog) (int, any, *problem) {
		a, pr := c.document(apiID, docID)
		if pr != nil {
			return 0, nil, pr
		}
		return http.StatusOK, a.spec.json(as, true), nil
	})
}

// patchDocument replaces the document's content and version: a version
// sent wins, else the new content's info.version, else it stays.
// update-api-version's force only matters with access control
// enforcement, which localkong has not: it is checked and ignored.
func (p *platformRequest) patchDocument(apiID, docID string, as docView) {
	if force, given := p.r.URL.Query()["force"]; as == asVersion && given && force[0] != "" && force[0] != "true" && force[0] != "false" {
		p.fail(badRequest(enumParam("force", []string{"true", "false"})))
		return
	}
	b, ok := p.readDocBody(as, false)
	if !ok {
		return
	}
	p.locked(true, func(c *catalog) (int, any, *problem) {
		a, pr := c.document(apiID, docID)
		if pr != nil {
			return 0, nil, pr
		}
		sp := *a.spec
		if b.doc != nil {
			sp.content, sp.typ = b.doc.content, b.doc.typ
			if b.doc.version != "" {
				sp.version = b.doc.version
			}
		}
		if b.version != nil {
			sp.version = *b.version
		}
		now := time.Now()
		sp.updated = now
		next := a.clone()
		next.spec, next.updated = &sp, now
		c.apis[apiID] = next
		return http.StatusOK, sp.json(as, true), nil
	})
}

func (p *platformRequest) deleteDocument(apiID, docID string) {
	p.locked(true, func(c *catalog) (int, any, *problem) {
		a, pr := c.document(apiID, docID)
		if pr != nil {
			return 0, nil, pr
		}
		next := a.clone()
		next.spec, next.updated = nil, time.Now()
		c.apis[apiID] = next
		return http.StatusNoContent, nil, nil
	})
}

// documentList filters and sorts as ApiVersionFilters and ApiVersionSort
// (type, version; created_at) or ApiSpecFilters (type; no sort) say.
func documentList(as docView) listSpec[*catSpec] {
	spec := listSpec[*catSpec]{
		fields: map[string]listField[*catSpec]{
			"type": {kind: fieldString, get: func(s *catSpec) []string { return one(s.typ) }},
		},
		less: func(a, b *catSpec) bool { return a.created.Before(b.created) },
	}
	if as == asVersion {
		spec.fields["version"] = listField[*catSpec]{kind: fieldString, get: func(s *catSpec) []string { return one(s.version) }}
		spec.fields["created_at"] = listField[*catSpec]{kind: fieldTime, get: func(s *catSpec) []string { return one(catalogTime(s.created)) }}
		spec.sorts = []string{"created_at"}
	}
	return spec
}

func (p *platformRequest) listDocuments(apiID string, as docView) {
	q := p.r.URL.Query()
	p.locked(false, func(c *catalog) (int, any, *problem) {
		a := c.apis[apiID]
		if a == nil {
			return 0, nil, problemNotFound()
		}
		var rows []*catSpec
		if a.spec != nil {
			rows = append(rows, a.spec)
		}
		page, meta, pr := pageRows(rows, q, documentList(as))
		if pr != nil {
			return 0, nil, pr
		}
		data := make([]any, 0, len(page))
		for _, s := range page {
			data = append(data, s.json(as, false))
		}
		return http.StatusOK, map[string]any{"data": data, "meta": meta}, nil
	})
}

// json is ApiVersionResponse or ApiSpecResponse (full), or their list
// items (without the content). localkong does not lint documents:
// validation_messages is always empty.
func (s *catSpec) json(as docView, full bool) map[string]any {
	m := map[string]any{"id": s.id, "created_at": catalogTime(s.created), "updated_at": catalogTime(s.updated)}
	if as == asSpecification {
		m["type"] = s.typ
		if full {
			m["content"], m["validation_messages"] = s.content, []any{}
		}
		return m
	}
	m["version"] = s.version
	spec := map[string]any{"type": s.typ}
	if full {
		spec["content"], spec["validation_messages"] = s.content, []any{}
	}
	m["spec"] = spec
	return m
}
