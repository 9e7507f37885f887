package localkong

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The Konnect handlers are checked against Konnect's published OpenAPI
// documents, read from the folder SERVICEHUB_OPENAPI_DIR names (CI
// downloads them there), else where the project keeps them:
// shared/reference/ beside the repository (a worktree finds it further
// up). They are not copied into the repository (they are Kong's). Without
// them the schema checks are skipped with a log line, unless
// SERVICEHUB_OPENAPI_DIR is set: then a missing document fails the test.
// The handlers' own tests still check status codes and bodies.

const (
	catalogDoc       = "konnect-api-catalog-v3.openapi.yaml"
	metricsDoc       = "konnect-analytics-metrics-v2.openapi.yaml"
	controlPlanesDoc = "konnect-control-planes-v2.openapi.yaml"
)

// openAPIDir is the environment variable naming the documents' folder.
const openAPIDir = "SERVICEHUB_OPENAPI_DIR"

var specs sync.Map // name → *openapi3.T (nil: not found)

// findReference finds the document name in SERVICEHUB_OPENAPI_DIR when it
// is set, else walks up from the package directory to
// shared/reference/name.
func findReference(name string) string {
	if dir := os.Getenv(openAPIDir); dir != "" {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "reference", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// loadSpec returns the parsed document, or nil (and a log line) when it is
// not there.
func loadSpec(t *testing.T, name string) *openapi3.T {
	t.Helper()
	if v, ok := specs.Load(name); ok {
		doc, _ := v.(*openapi3.T)
		if doc == nil {
			t.Logf("%s not found: responses not checked against it", name)
		}
		return doc
	}
	path := findReference(name)
	if path == "" && os.Getenv(openAPIDir) != "" {
		t.Fatalf("%s is not in %s=%s", name, openAPIDir, os.Getenv(openAPIDir))
	}
	if path == "" {
		specs.Store(name, (*openapi3.T)(nil))
		t.Logf("shared/reference/%s not found: responses not checked against it", name)
		return nil
	}
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	specs.Store(name, doc)
	return doc
}

func must[T any](v T, _ error) T { return v }

// TestKonnectReferenceDocuments makes the absence of the documents visible.
func TestKonnectReferenceDocuments(t *testing.T) {
	for _, name := range []string{catalogDoc, metricsDoc, controlPlanesDoc} {
		if findReference(name) == "" && os.Getenv(openAPIDir) == "" {
			t.Skipf("shared/reference/%s not found: the Konnect tests check status codes and bodies but not schemas", name)
		}
		if doc := loadSpec(t, name); doc.Paths.Len() == 0 {
			t.Fatalf("%s: no paths", name)
		}
	}
}

// pathTemplate turns a request path into the document's path: the
// catalog's are relative to /v3, the metrics and control planes
// documents' to /v2; ids become the parameters they stand for.
var uuidSeg = regexp.MustCompile(`^[0-9a-fA-F-]{36}$`)

func pathTemplate(path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")[1:]
	for i, s := range segs {
		if i > 0 && (uuidSeg.MatchString(s) || strings.HasPrefix(s, "nope")) {
			switch segs[i-1] {
			case "apis":
				segs[i] = "{apiId}"
			case "implementations":
				segs[i] = "{implementationId}"
			case "versions":
				segs[i] = "{versionId}"
			case "specifications":
				segs[i] = "{specId}"
			case "control-planes":
				segs[i] = "{id}"
			}
		}
	}
	return "/" + strings.Join(segs, "/")
}

// fallbackSchemas validate statuses a path does not list (POST /apis's
// 409, for one) against the error schema of that status.
var fallbackSchemas = map[int]string{400: "BadRequestError", 409: "ConflictError"}

// checkResponse validates a response against the document's operation: the
// status must be listed (or have a fallback schema), the content type
// must be one it lists, the body must match its schema as a response.
func checkResponse(t *testing.T, doc *openapi3.T, method, path string, r *response) {
	t.Helper()
	if doc == nil {
		return
	}
	tmpl := pathTemplate(path)
	var ref *openapi3.ResponseRef
	if item := doc.Paths.Find(tmpl); item != nil && item.GetOperation(method) != nil {
		ref = item.GetOperation(method).Responses.Status(r.status)
	} else if r.status < 400 {
		t.Errorf("%s %s: %d for an operation %s does not have", method, tmpl, r.status, doc.Info.Title)
	}
	ct, _, _ := strings.Cut(r.header.Get("Content-Type"), ";")
	var schema *openapi3.Schema
	switch {
	case ref != nil && ref.Value.Content == nil:
		if len(r.raw) > 0 {
			t.Errorf("%s %s: %d has no body in the document, got %s", method, tmpl, r.status, r.raw)
		}
		return
	case ref != nil:
		mt := ref.Value.Content.Get(ct)
		if mt == nil {
			t.Errorf("%s %s: %d with Content-Type %q, the document lists %v", method, tmpl, r.status, ct, keys(ref.Value.Content))
			return
		}
		if mt.Schema != nil {
			schema = mt.Schema.Value
		}
	default:
		name := fallbackSchemas[r.status]
		if name == "" || ct != "application/problem+json" {
			name = "BaseError"
		}
		t.Logf("%s %s: %d is not listed; checked against %s", method, tmpl, r.status, name)
		if s := doc.Components.Schemas[name]; s != nil {
			schema = s.Value
		}
	}
	if schema == nil { // the metrics 400 has an example only
		schema = doc.Components.Schemas["BaseError"].Value
	}
	var v any
	if err := json.Unmarshal(r.raw, &v); err != nil {
		t.Errorf("%s %s: body is not JSON: %q", method, tmpl, r.raw)
		return
	}
	if err := schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.EnableFormatValidation()); err != nil {
		t.Errorf("%s %s: %d body does not match the document:\n%s\nbody: %s", method, tmpl, r.status, err, r.raw)
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// specExample is a named example's value from the document, or nil.
func specExample(t *testing.T, doc *openapi3.T, name string) map[string]any {
	t.Helper()
	if doc == nil || name == "" {
		return nil
	}
	ex := doc.Components.Examples[name]
	if ex == nil || ex.Value == nil {
		t.Fatalf("%s: no example %s", doc.Info.Title, name)
	}
	m, ok := ex.Value.Value.(map[string]any)
	if !ok {
		t.Fatalf("example %s is not an object", name)
	}
	return m
}
