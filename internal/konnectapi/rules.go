package konnectapi

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The catalog's rules on an API's fields (CAT CreateApiRequest, Labels),
// for checking a configuration before anything is sent.

// MaxLabels is Labels' maxProperties.
const MaxLabels = 50

var (
	slugRule       = regexp.MustCompile(`^[\w-]+$`)
	labelValueRule = regexp.MustCompile(`^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$`)
)

// ValidateName checks an API's name or version: 1 to 255 characters.
func ValidateName(s string) error {
	if n := utf8.RuneCountInString(s); n < 1 || n > 255 {
		return fmt.Errorf("must be 1 to 255 characters long")
	}
	return nil
}

// ValidateSlug checks a slug against the catalog's pattern ^[\w-]+$.
func ValidateSlug(s string) error {
	if !slugRule.MatchString(s) {
		return fmt.Errorf("must match ^[\\w-]+$: letters, digits, '_' and '-'")
	}
	return nil
}

// ValidateLabelKey checks a label key: 1 to 63 characters, not starting
// with "kong", "konnect", "mesh", "kic" or "_" (the document's words; it
// gives keys no pattern).
func ValidateLabelKey(k string) error {
	if n := len(k); n < 1 || n > 63 {
		return fmt.Errorf("label keys must be 1 to 63 characters long")
	}
	for _, p := range []string{"kong", "konnect", "mesh", "kic", "_"} {
		if strings.HasPrefix(strings.ToLower(k), p) {
			return fmt.Errorf(`label keys cannot start with "kong", "konnect", "mesh", "kic" or "_"`)
		}
	}
	return nil
}

// ValidateLabelValue checks a label value: 1 to 63 characters of letters,
// digits, '-', '_' and '.', starting and ending with a letter or digit.
func ValidateLabelValue(v string) error {
	if len(v) > 63 || !labelValueRule.MatchString(v) {
		return fmt.Errorf("label values must be 1 to 63 characters: letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
	}
	return nil
}
