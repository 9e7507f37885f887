package servicehub

import (
	"fmt"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Tags the provider owns. Kong's tag rule forbids "," and "/" (they are the
// AND/OR separators of ?tags=), so ":" and "=" are used instead.
const (
	OwnTagPrefix     = "servicehub:"
	serviceTagPrefix = OwnTagPrefix + "service="
	versionTagPrefix = OwnTagPrefix + "version="
)

// ServiceTag is the tag recording which Service Hub service an entity implements.
func ServiceTag(service string) string { return serviceTagPrefix + service }

// VersionTag is the tag recording which version of it.
func VersionTag(version string) string { return versionTagPrefix + version }

// IsOwnTag reports whether a tag is reserved for the provider.
func IsOwnTag(tag string) bool { return strings.HasPrefix(tag, OwnTagPrefix) }

// ValidateServiceName checks a Service Hub service name can be recorded as
// a tag and found again with a ?tags= filter.
func ValidateServiceName(s string) error { return validateTagValue(ServiceTag, s) }

// ValidateVersion is ValidateServiceName for versions.
func ValidateVersion(s string) error { return validateTagValue(VersionTag, s) }

func validateTagValue(tag func(string) string, s string) error {
	if s == "" {
		return fmt.Errorf("must not be empty")
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("must not start or end with whitespace")
	}
	// Kong's tag rule forbids them too; said plainly, as they are the
	// likely mistake ("payments/v1").
	if strings.ContainsAny(s, ",/") {
		return fmt.Errorf("must not contain ',' or '/'")
	}
	return kongschema.ValidateTag(tag(s))
}

// ValidateUserTag checks that a user tag is not one of ours. Kong's own
// tag rule applies on top, as to every tag.
func ValidateUserTag(tag string) error {
	if IsOwnTag(tag) {
		return fmt.Errorf("tags starting with %q are reserved for the provider", OwnTagPrefix)
	}
	return nil
}

// ownTags builds an entity's tags: ours first, then the user's.
func ownTags(service, version string, user []string) []string {
	tags := make([]string, 0, len(user)+2)
	if service != "" {
		tags = append(tags, ServiceTag(service))
	}
	if version != "" {
		tags = append(tags, VersionTag(version))
	}
	for _, t := range user {
		if !IsOwnTag(t) {
			tags = append(tags, t)
		}
	}
	return tags
}

// splitTags separates ours from the user's; unknown servicehub: tags (from
// a newer provider, say) are dropped from both rather than shown as drift.
func splitTags(tags []string) (service, version string, user []string) {
	for _, t := range tags {
		switch {
		case strings.HasPrefix(t, serviceTagPrefix):
			service = strings.TrimPrefix(t, serviceTagPrefix)
		case strings.HasPrefix(t, versionTagPrefix):
			version = strings.TrimPrefix(t, versionTagPrefix)
		case IsOwnTag(t):
		default:
			user = append(user, t)
		}
	}
	return service, version, user
}
