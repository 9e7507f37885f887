package konnect

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseSpecContent reads POST /v3/apis' spec_content (writeOnly: kept,
// never returned) into the API's one version: its type from the document,
// its version from info.version, else the API's version. Neither is the
// spec's ApiVersionBadRequestExample ("version must be provided if not
// included in spec_content").
func parseSpecContent(v any, apiVersion *string, bad *[]invalidParam) *catSpec {
	sp := parseDocument("spec_content", v, bad)
	if sp == nil {
		return nil
	}
	if sp.version == "" && apiVersion != nil {
		sp.version = *apiVersion
	}
	if sp.version == "" {
		*bad = append(*bad, missingVersion())
		return nil
	}
	return sp
}

// missingVersion is the document's ApiVersionBadRequestExample.
func missingVersion() invalidParam {
	return ruleParam("version", "missing_reference", "version must be provided if not included in spec_content")
}

// parseDocument reads an API document given as field (spec_content,
// spec.content or content): its type (openapi 3.x → oas3, swagger 2.0 →
// oas2, asyncapi) and its info.version ("" when it has none).
func parseDocument(field string, v any, bad *[]invalidParam) *catSpec {
	content, ok := v.(string)
	switch {
	case !ok:
		*bad = append(*bad, ruleParam(field, "is_string", field+" must be a string"))
		return nil
	case content == "":
		// ApiSpecContentBadRequestExample, for content.
		*bad = append(*bad, minParam(field, "min_length", field+" must be longer than or equal to 1 characters"))
		return nil
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(content), &doc); err != nil || doc == nil {
		*bad = append(*bad, ruleParam(field, "invalid", field+" must be a JSON or YAML document"))
		return nil
	}
	sp := &catSpec{content: content}
	switch {
	case strings.HasPrefix(scalar(doc["openapi"]), "3."):
		sp.typ = "oas3"
	case scalar(doc["swagger"]) == "2.0":
		sp.typ = "oas2"
	case scalar(doc["asyncapi"]) != "":
		sp.typ = "asyncapi"
	default:
		*bad = append(*bad, ruleParam(field, "invalid",
			field+" must be an OpenAPI 2.0, OpenAPI 3.x or AsyncAPI document"))
		return nil
	}
	if info, ok := doc["info"].(map[string]any); ok {
		sp.version = scalar(info["version"])
	}
	return sp
}

// scalar renders a YAML scalar (openapi: 3.0 parses as a number) as text.
func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}
