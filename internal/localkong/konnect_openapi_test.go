package localkong

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The Konnect handlers are checked against Konnect's published OpenAPI
// documents. They are Kong's, so they are not copied into the repository;
// they are read from the folder SERVICEHUB_OPENAPI_DIR names, into which
// CI downloads them from Kong/developer.konghq.com (.github/workflows/
// test.yml). With that variable set, a document missing there fails the
// tests: a check that silently stops checking proves nothing. Without it,
// they are looked for where the project keeps them, shared/reference/
// beside the repository (a worktree finds it further up), and when they
// are not there the schema checks are skipped with a log line: the
// handlers' own tests still check status codes and bodies.

const (
	catalogDoc       = "konnect-api-catalog-v3.openapi.yaml"
	metricsDoc       = "konnect-analytics-metrics-v2.openapi.yaml"
	controlPlanesDoc = "konnect-control-planes-v2.openapi.yaml"
)

// openAPIDirEnv names the folder holding the documents.
const openAPIDirEnv = "SERVICEHUB_OPENAPI_DIR"

var specs sync.Map // name → *openapi3.T (nil: not found)

// findReference is where document name is: in $SERVICEHUB_OPENAPI_DIR when
// that is set, and an error when it is not there; otherwise the first
// shared/reference/name walking up from the package directory, "" when
// there is none.
func findReference(name string) (string, error) {
	if dir := os.Getenv(openAPIDirEnv); dir != "" {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s is set to %s, which lacks %s (%v): download Kong's published document there, as .github/workflows/test.yml does",
				openAPIDirEnv, dir, name, err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("looking for shared/reference: %w", err)
	}
	for {
		p := filepath.Join(dir, "shared", "reference", name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// loadSpec returns the parsed document, or nil (and a log line) when it is
// not there and need not be; it fails the test when it must be there.
func loadSpec(t *testing.T, name string) *openapi3.T {
	t.Helper()
	if v, ok := specs.Load(name); ok {
		doc, _ := v.(*openapi3.T)
		if doc == nil {
			t.Logf("%s not found: responses not checked against it", name)
		}
		return doc
	}
	path, err := findReference(name)
	switch {
	case err != nil:
		t.Fatal(err)
	case path == "":
		specs.Store(name, (*openapi3.T)(nil))
		t.Logf("shared/reference/%s not found (and %s not set): responses not checked against it", name, openAPIDirEnv)
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

// TestKonnectReferenceDocuments makes the absence of the documents
// visible: a skip without SERVICEHUB_OPENAPI_DIR, a failure with it.
func TestKonnectReferenceDocuments(t *testing.T) {
	for _, name := range []string{catalogDoc, metricsDoc, controlPlanesDoc} {
		path, err := findReference(name)
		switch {
		case err != nil:
			t.Fatal(err)
		case path == "":
			t.Skipf("shared/reference/%s not found and %s not set: the Konnect tests check status codes and bodies but not schemas", name, openAPIDirEnv)
		}
		if doc := loadSpec(t, name); doc.Paths.Len() == 0 {
			t.Fatalf("%s: no paths", name)
		}
	}
}

// With SERVICEHUB_OPENAPI_DIR set, the documents must be there: a folder
// without them is an error, not a skip; one with them is where they are
// read from, not shared/reference.
func TestKonnectReferenceDocumentsRequired(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(openAPIDirEnv, empty)
	for _, name := range []string{catalogDoc, metricsDoc, controlPlanesDoc} {
		if p, err := findReference(name); err == nil || p != "" || !strings.Contains(err.Error(), openAPIDirEnv) {
			t.Errorf("%s missing from %s: %q, %v; want an error naming %s", name, empty, p, err, openAPIDirEnv)
		}
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, catalogDoc), []byte("openapi: 3.0.3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(openAPIDirEnv, full)
	if p, err := findReference(catalogDoc); err != nil || p != filepath.Join(full, catalogDoc) {
		t.Errorf("%s in %s: %q, %v", catalogDoc, full, p, err)
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
