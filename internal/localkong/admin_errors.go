package localkong

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// apiError is an Admin API error response. body nil means an empty body
// (Kong's 415); text set means a raw, non-JSON body.
type apiError struct {
	status int
	body   map[string]any
	text   string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %v", e.status, e.body) }

func messageError(status int, msg string) *apiError {
	return &apiError{status: status, body: map[string]any{"message": msg}}
}

// errNotFound is the plain 404 the generated endpoints send whenever a select
// finds nothing (spec §2.1).
func errNotFound() *apiError { return messageError(404, "Not found") }

func errMethodNotAllowed() *apiError { return messageError(405, "Method not allowed") }

// daoError builds Kong's {code,name,message[,fields]} object (spec §2.1).
func daoError(status, code int, name, msg string, fields map[string]any) *apiError {
	body := map[string]any{"code": code, "name": name, "message": msg}
	if fields != nil {
		body["fields"] = fields
	}
	return &apiError{status: status, body: body}
}

func errSchema(v *kongschema.Violation) *apiError {
	fields := v.FieldsJSON()
	if fields == nil {
		fields = map[string]any{}
	}
	return daoError(400, 2, "schema violation", v.Message(), fields)
}

// errFieldViolation is a one-field schema violation raised by the store
// itself (e.g. snis already taken), where kongschema has no say.
func errFieldViolation(field, msg string) *apiError {
	return daoError(400, 2, "schema violation",
		fmt.Sprintf("schema violation (%s: %s)", field, msg),
		map[string]any{field: msg})
}

func errPrimaryKey(id string) *apiError {
	return daoError(400, 3, "primary key violation",
		fmt.Sprintf("primary key violation on key '%s'", pretty(map[string]any{"id": id})),
		map[string]any{"id": id})
}

// errForeignKey is code 4 for a reference to a missing entity.
func errForeignKey(field, reference, id string) *apiError {
	return daoError(400, 4, "foreign key violation",
		fmt.Sprintf("the foreign key '%s' does not reference an existing '%s' entity.",
			pretty(map[string]any{"id": id}), reference),
		map[string]any{field: map[string]any{"id": id}})
}

// errReferencedBy is code 4 for deleting a parent that children still point at.
func errReferencedBy(child, parent string) *apiError {
	return daoError(400, 4, "foreign key violation",
		fmt.Sprintf("an existing '%s' entity references this '%s' entity", child, parent),
		map[string]any{"@referenced_by": child})
}

func errReferencedByOthers(msg string) *apiError {
	return daoError(400, 19, "referenced by others", msg, nil)
}

func errUnique(field, value string) *apiError {
	return daoError(409, 5, "unique constraint violation",
		fmt.Sprintf("UNIQUE violation detected on '%s'", pretty(map[string]any{field: value})),
		map[string]any{field: value})
}

// errNotFoundKey is the full code-6 object only DAO updates report.
func errNotFoundKey(field, value string) *apiError {
	var msg string
	if field == "id" {
		msg = fmt.Sprintf("could not find the entity with primary key '%s'", pretty(map[string]any{"id": value}))
	} else {
		msg = fmt.Sprintf("could not find the entity with '%s'", pretty(map[string]any{field: value}))
	}
	return daoError(404, 6, "not found", msg, map[string]any{field: value})
}

func errInvalidOffset(offset, why string) *apiError {
	return daoError(400, 7, "invalid offset", fmt.Sprintf("'%s' is not a valid offset: %s", offset, why), nil)
}

func errInvalidSize(msg string) *apiError { return daoError(400, 9, "invalid size", msg, nil) }

func errInvalidUnique(msg string) *apiError {
	return daoError(400, 10, "invalid unique name", msg, nil)
}

func errInvalidPrimaryKey(field, msg string) *apiError {
	fields := map[string]any{field: msg}
	return daoError(400, 1, "invalid primary key",
		fmt.Sprintf("invalid primary key: '%s'", pretty(fields)), fields)
}

// errUnresolved is code 13: no referenced entity has key = value.
func errUnresolved(field, reference, key string, value any) *apiError {
	msg := fmt.Sprintf("the foreign key cannot be resolved with '%s' for an existing '%s' entity",
		pretty(map[string]any{key: value}), reference)
	return daoError(400, 13, "foreign keys unresolved",
		fmt.Sprintf("foreign key unresolved (%s.%s: %s)", field, key, msg),
		map[string]any{field: map[string]any{key: msg}})
}

func errInvalidOption(key, msg string) *apiError {
	body := map[string]any{
		"code":    11,
		"name":    "invalid options",
		"message": fmt.Sprintf("invalid option (%s: %s)", key, msg),
		"options": map[string]any{key: msg},
	}
	return &apiError{status: 400, body: body}
}

// pretty renders a flat table the way Penlight's pretty.write(t, "") does in
// Kong's error messages: sorted keys, double-quoted strings, no spaces.
func pretty(t map[string]any) string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		switch v := t[k].(type) {
		case nil:
			b.WriteString("null")
		case string:
			b.WriteString(strconv.Quote(v))
		case map[string]any:
			b.WriteString(pretty(v))
		default:
			fmt.Fprint(&b, v)
		}
	}
	b.WriteByte('}')
	return b.String()
}
