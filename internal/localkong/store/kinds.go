package store

import (
	"fmt"
	"sort"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Kind describes one entity collection and the database rules around it
// that kongschema, being pure, cannot check: references, uniqueness and
// what blocks a delete. Kong's counterpart is the entity's DAO and schema
// (kong/db/schema/entities).
type Kind struct {
	name string
	// process validates a body under the rules of the Kong played.
	process func(s *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation)
	// key is the endpoint_key: paths take an id or its value ("" when
	// they take only an id); keyRule, when set, checks such a value.
	key     string
	keyRule func(string) error
	unique  []string // per-namespace unique fields besides id
	// cacheKey lists fields unique together (Kong's cache_key, a
	// unique column in Postgres): plugins' name and scope, acls'
	// consumer and group.
	cacheKey []string
	routing  bool // writes change what the proxy routes

	// foreign lists the foreign-key fields: resolved by name before
	// validation, their ids lowercased and checked (code 4) on save.
	foreign []foreignKey
	// resolve normalises e before it is saved.
	resolve func(s *Store, sp *Space, e map[string]any) *Error
	// refs checks references beyond the foreign keys (code 4).
	refs func(sp *Space, e map[string]any) *Error
	// inUse reports why e may not be deleted (or change its id).
	inUse func(s *Store, sp *Space, e map[string]any) *Error
	// precheck checks what a write sends before anything else (the
	// plugins DAO's protocols check); old is the stored entity, if any.
	precheck func(s *Store, sp *Space, op kongschema.Op, body, old map[string]any) *Error
	// ttl marks entities that may expire (schema ttl = true).
	ttl bool
	// onWrite transforms an entity about to be saved, given the fields
	// the write sent (a DAO's on_write transformation).
	onWrite func(e, sent map[string]any)
	// present renders a stored entity as the Admin API returns it, when
	// that differs from what is stored.
	present func(s *Store, sp *Space, k *Kind, e map[string]any) map[string]any
	// schema is the entity's GET /schemas/{name} document and
	// /schemas/{name}/validate, for kinds kongschema's Rules do not know.
	schema *kongschema.EntitySchema
}

// foreignKey is a field referencing another collection; cascade deletes
// the referencing entity with the one it references (on_delete =
// "cascade").
type foreignKey struct {
	field, reference string
	cascade          bool
}

// Entity collection names.
const (
	entServices       = "services"
	entRoutes         = "routes"
	entCertificates   = "certificates"
	entCACertificates = "ca_certificates"
)

// The collections localkong stores.
var (
	Services = &Kind{
		name: entServices, process: func(s *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
			return s.rules.ProcessService(op, body, existing)
		},
		key: "name", keyRule: kongschema.ValidateName, unique: []string{"name"}, routing: true,
		foreign: []foreignKey{{field: "client_certificate", reference: entCertificates}},
		refs:    caCertificateRefs, inUse: serviceInUse,
	}
	Routes = &Kind{
		name: entRoutes, process: func(s *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
			return s.rules.ProcessRoute(op, body, existing)
		},
		key: "name", keyRule: kongschema.ValidateName, unique: []string{"name"}, routing: true,
		foreign: []foreignKey{{field: "service", reference: entServices}},
	}
	Certificates = &Kind{
		name: entCertificates, process: anyVersion(kongschema.ProcessCertificate),
		resolve: resolveCertificate, inUse: certificateInUse,
	}
	CACertificates = &Kind{
		name: entCACertificates, process: anyVersion(kongschema.ProcessCACertificate),
		unique: []string{"cert_digest"}, inUse: caCertificateInUse,
	}
)

// Name is the collection's name, as in its Admin API path.
func (k *Kind) Name() string { return k.name }

// anyVersion adapts the processing of an entity whose rules are the same
// in every Kong version localkong plays.
func anyVersion(fn func(kongschema.Op, map[string]any, map[string]any) (map[string]any, *kongschema.Violation)) func(
	*Store, kongschema.Op, map[string]any, map[string]any) (map[string]any, *kongschema.Violation) {
	return func(_ *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
		return fn(op, body, existing)
	}
}

// caCertificateRefs insists that a service's ca_certificates exist. Kong
// stores them as plain uuids; checking makes a typo fail at write time
// rather than at the first TLS handshake.
func caCertificateRefs(sp *Space, e map[string]any) *Error {
	if list, ok := e["ca_certificates"].([]any); ok {
		for _, v := range list {
			if id, ok := v.(string); ok && sp.get(entCACertificates, lowerID(id)) == nil {
				return errForeignKey("ca_certificates", "ca_certificates", id)
			}
		}
	}
	return nil
}

// resolveCertificate sorts the snis and keeps each name on one certificate
// across all workspaces of the node (Kong's check_list_is_new).
func resolveCertificate(s *Store, sp *Space, e map[string]any) *Error {
	list, _ := e["snis"].([]any)
	names := make([]string, 0, len(list))
	seen := map[string]bool{}
	for _, v := range list {
		n, ok := v.(string)
		if !ok {
			continue
		}
		if seen[n] {
			return ErrFieldViolation("snis", n+" is duplicated")
		}
		seen[n] = true
		names = append(names, n)
	}
	sort.Strings(names)
	id, _ := e["id"].(string)
	for _, other := range s.spaces {
		if other.group != sp.group {
			continue
		}
		for _, c := range other.table(entCertificates).rows {
			if c["id"] == id {
				continue
			}
			for _, taken := range stringList(c["snis"]) {
				if seen[taken] {
					return ErrFieldViolation("snis", fmt.Sprintf(
						"%s already associated with existing certificate '%s'", taken, c["id"]))
				}
			}
		}
	}
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	e["snis"] = out
	return nil
}

func serviceInUse(_ *Store, sp *Space, e map[string]any) *Error {
	for _, r := range sp.table(entRoutes).rows {
		if RefID(r["service"]) == e["id"] {
			return errReferencedBy("routes", "services")
		}
	}
	return nil
}

func certificateInUse(_ *Store, sp *Space, e map[string]any) *Error {
	for _, svc := range sp.table(entServices).rows {
		if RefID(svc["client_certificate"]) == e["id"] {
			return errReferencedBy("services", "certificates")
		}
	}
	return nil
}

func caCertificateInUse(_ *Store, sp *Space, e map[string]any) *Error {
	for _, svc := range sp.sorted(entServices) {
		for _, id := range stringList(svc["ca_certificates"]) {
			if lowerID(id) == e["id"] {
				return errReferencedByOthers(fmt.Sprintf(
					"ca certificate %s is still referenced by services (id = %s)", e["id"], svc["id"]))
			}
		}
	}
	return nil
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// CertificateBySNI returns the certificate holding this server name, or
// nil: Kong lets a certificate be addressed by one of its snis.
func (sp *Space) CertificateBySNI(name string) map[string]any {
	for _, c := range sp.sorted(entCertificates) {
		for _, n := range stringList(c["snis"]) {
			if n == name {
				return c
			}
		}
	}
	return nil
}
