package kongschema

// STUBS: signatures agreed between packages; bodies are being written.

// Message renders Kong's "schema violation (...)" / "N schema violations (...)" text (spec §2.2).
func (v *Violation) Message() string { return "" }

// FieldsJSON returns the "fields" object of the error body, "@entity" included when present.
func (v *Violation) FieldsJSON() map[string]any { return nil }

// ProcessService validates a service body and returns the canonical entity:
// every schema field present (nil when unset), defaults applied, url expanded,
// client_certificate normalised to {"id":…}. id/created_at/updated_at are
// validated when present and otherwise left for the caller (the store) to set.
// For Update, existing is the stored entity the body is merged into.
func ProcessService(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return body, nil
}

// ProcessRoute is ProcessService for routes. "service" comes back as
// {"id":…}, nil, or {"name":…} when given by name (the store resolves it).
func ProcessRoute(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return body, nil
}

// ProcessCertificate is ProcessService for certificates (cert, key, cert_alt, key_alt, tags, snis).
func ProcessCertificate(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return body, nil
}

// ProcessCACertificate is ProcessService for ca_certificates (cert, cert_digest, tags).
func ProcessCACertificate(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return body, nil
}

// Schema returns the JSON schema document Kong serves at GET /schemas/{entity}.
func Schema(entity string) (map[string]any, bool) { return nil, false }

// ValidateName checks Kong's utf8_name rule (service and route names).
func ValidateName(s string) error { return nil }

// ValidateHost checks a service host (hostname, IPv4 or IPv6, no port).
func ValidateHost(s string) error { return nil }

// ValidateServicePath checks a service path.
func ValidateServicePath(s string) error { return nil }

// ValidateRoutePath checks a route path, compiling regex paths (~/…).
func ValidateRoutePath(s string) error { return nil }

// ValidateRouteHost checks a route host (optional port, one leading or trailing wildcard).
func ValidateRouteHost(s string) error { return nil }

// ValidateHeaderName checks a route header name (and rejects "host").
func ValidateHeaderName(s string) error { return nil }

// ValidateSNI checks one route sni.
func ValidateSNI(s string) error { return nil }

// ValidateIPOrCIDR checks a sources/destinations ip.
func ValidateIPOrCIDR(s string) error { return nil }

// ValidateTag checks one tag.
func ValidateTag(s string) error { return nil }

// URLParts is the expansion of a service url (spec §3.3).
type URLParts struct {
	Protocol string
	Host     string // "" when the url has no host
	Port     int
	Path     *string // nil when the url has no path
}

// ExpandURL expands a service url the way Kong does.
func ExpandURL(u string) (URLParts, error) { return URLParts{}, nil }
