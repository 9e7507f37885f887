package kongschema

import "errors"

// Single-field validators for plan-time checks. Each returns an error whose
// text is exactly Kong's message for that field (without the field name).

func check(f *Field, s string) error {
	if err := (&vctx{}).validateField(f, s); err != nil {
		if msg, ok := err.(string); ok {
			return errors.New(msg)
		}
		return errors.New(subMessage(err))
	}
	return nil
}

// ValidateName checks Kong's utf8_name rule (service and route names).
func ValidateName(s string) error { return check(utf8NameField(), s) }

// ValidateHost checks a service host (hostname, IPv4 or IPv6, no port).
func ValidateHost(s string) error { return check(hostField(), s) }

// ValidateServicePath checks a service path.
func ValidateServicePath(s string) error { return check(pathField(), s) }

// ValidateRoutePath checks a route path, compiling regex paths (~/…).
func ValidateRoutePath(s string) error { return check(routerPathsField().Elements, s) }

// ValidateRouteHost checks a route host (optional port, one leading or trailing wildcard).
func ValidateRouteHost(s string) error { return check(hostsField().Elements, s) }

// ValidateHeaderName checks a route header name (and rejects "host").
func ValidateHeaderName(s string) error {
	return check(schemaByName("routes").byName["headers"].Keys, s)
}

// ValidateHTTPHeaderName is kong.tools.http.validate_header_name: the
// characters of a header name, "host" included (plugins such as
// request-transformer may set it).
func ValidateHTTPHeaderName(s string) error { return check(headerNameField(), s) }

// ValidateSNI checks one route sni.
func ValidateSNI(s string) error { return check(wildcardHostField(), s) }

// ValidateIPOrCIDR checks a sources/destinations ip.
func ValidateIPOrCIDR(s string) error { return check(ipOrCIDRField(), s) }

// ValidateTag checks one tag.
func ValidateTag(s string) error { return check(tagField(), s) }

// ValidateMethod checks one route method (upper-case letters only).
func ValidateMethod(s string) error { return check(methodsField().Elements, s) }

// ValidateCertificate checks that s parses as a PEM (or DER) X.509 certificate.
func ValidateCertificate(s string) error { return check(certificateField(false), s) }

// ValidateKey checks that s parses as a private (or public) key.
func ValidateKey(s string) error { return check(keyField(false), s) }
