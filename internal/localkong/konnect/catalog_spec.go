package konnect

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseSpecContent reads POST /v3/apis' spec_content (writeOnly: kept,
// never returned) into the API's one version: its type from the document
// (openapi 3.x → oas3, swagger 2.0 → oas2, asyncapi), its version from
// info.version, else the API's version. Neither is the spec's
// ApiVersionBadRequestExample ("version must be provided if not included
// in spec_content").
func parseSpecContent(v any, apiVersion *string, bad *[]invalidParam) *catSpec {
	content, ok := v.(string)
	if !ok {
		*bad = append(*bad, ruleParam("spec_content", "is_string", "spec_content must be a string"))
		return nil
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(content), &doc); err != nil || doc == nil {
		*bad = append(*bad, ruleParam("spec_content", "invalid", "spec_content must be a JSON or YAML document"))
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
		*bad = append(*bad, ruleParam("spec_content", "invalid",
			"spec_content must be an OpenAPI 2.0, OpenAPI 3.x or AsyncAPI document"))
		return nil
	}
	if info, ok := doc["info"].(map[string]any); ok {
		sp.version = scalar(info["version"])
	}
	if sp.version == "" && apiVersion != nil {
		sp.version = *apiVersion
	}
	if sp.version == "" {
		*bad = append(*bad, ruleParam("version", "missing_reference", "version must be provided if not included in spec_content"))
		return nil
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
