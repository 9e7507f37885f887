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

// IngressControllerTag marks what Kong's Ingress Controller manages: it
// rewrites those entities from Kubernetes resources, so anything else's
// change to them is undone at its next sync, or fights it.
const IngressControllerTag = "managed-by-ingress-controller"

// ByIngressController reports whether tags mark an entity of Kong's
// Ingress Controller.
func ByIngressController(tags []*string) bool {
	for _, t := range tags {
		if t != nil && *t == IngressControllerTag {
			return true
		}
	}
	return false
}

// IngressControllerError: the entity is the Ingress Controller's, which
// the provider neither imports nor writes. Nothing was written.
type IngressControllerError struct {
	Noun, ID, Name string
}

func (e *IngressControllerError) Error() string {
	return fmt.Sprintf("the %s %q (id %s) is tagged %s: Kong's Ingress Controller manages it, rewriting it from Kubernetes resources "+
		"at each of its syncs, so any change made here would be undone, and a delete fought by the controller's next create. "+
		"Manage it through its Kubernetes resources (Ingress, HTTPRoute, KongPlugin, …); this provider neither imports nor writes it",
		e.Noun, e.Name, e.ID, IngressControllerTag)
}

// CheckNotIngress is an *IngressControllerError when tags mark an entity
// of the Ingress Controller, nil otherwise.
func CheckNotIngress(noun, id, name string, tags []*string) error {
	if ByIngressController(tags) {
		return &IngressControllerError{Noun: noun, ID: id, Name: name}
	}
	return nil
}

// ValidateUserTag checks that a user tag is not one of ours, nor the
// Ingress Controller's. Kong's own tag rule applies on top, as to every
// tag.
func ValidateUserTag(tag string) error {
	if IsOwnTag(tag) {
		return fmt.Errorf("tags starting with %q are reserved for the provider", OwnTagPrefix)
	}
	if tag == IngressControllerTag {
		return fmt.Errorf("%q marks what Kong's Ingress Controller manages; it would take the entity for one of its own, "+
			"and the provider does not write the controller's entities", IngressControllerTag)
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
