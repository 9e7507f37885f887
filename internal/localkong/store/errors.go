package store

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Error is an Admin API error response: the DAO's errors
// (kong/db/errors.lua) and the API's own. Body nil means an empty body
// (Kong's 415); Text set means a raw, non-JSON body.
type Error struct {
	Status int
	Body   map[string]any
	Text   string
}

func (e *Error) Error() string { return fmt.Sprintf("HTTP %d: %v", e.Status, e.Body) }

// MessageError is the API's plain {"message": msg} error.
func MessageError(status int, msg string) *Error {
	return &Error{Status: status, Body: map[string]any{"message": msg}}
}

// errNotFound is the plain 404 the generated endpoints send whenever a select
// finds nothing (spec §2.1).
func ErrNotFound() *Error { return MessageError(404, "Not found") }

// ErrMethodNotAllowed is the 405 of a path that exists.
func ErrMethodNotAllowed() *Error { return MessageError(405, "Method not allowed") }

// daoError builds Kong's {code,name,message[,fields]} object (spec §2.1).
func daoError(status, code int, name, msg string, fields map[string]any) *Error {
	body := map[string]any{"code": code, "name": name, "message": msg}
	if fields != nil {
		body["fields"] = fields
	}
	return &Error{Status: status, Body: body}
}

// ErrSchema is code 2 for a body kongschema refused.
func ErrSchema(v *kongschema.Violation) *Error {
	fields := v.FieldsJSON()
	if fields == nil {
		fields = map[string]any{}
	}
	return daoError(400, 2, "schema violation", v.Message(), fields)
}

// ErrFieldViolation is a one-field schema violation raised by the store
// itself (e.g. snis already taken), where kongschema has no say.
func ErrFieldViolation(field, msg string) *Error {
	return daoError(400, 2, "schema violation",
		fmt.Sprintf("schema violation (%s: %s)", field, msg),
		map[string]any{field: msg})
}

func errPrimaryKey(id string) *Error {
	return daoError(400, 3, "primary key violation",
		fmt.Sprintf("primary key violation on key '%s'", pretty(map[string]any{"id": id})),
		map[string]any{"id": id})
}

// errForeignKey is code 4 for a reference to a missing entity.
func errForeignKey(field, reference, id string) *Error {
	return daoError(400, 4, "foreign key violation",
		fmt.Sprintf("the foreign key '%s' does not reference an existing '%s' entity.",
			pretty(map[string]any{"id": id}), reference),
		map[string]any{field: map[string]any{"id": id}})
}

// errReferencedBy is code 4 for deleting a parent that children still point at.
func errReferencedBy(child, parent string) *Error {
	return daoError(400, 4, "foreign key violation",
		fmt.Sprintf("an existing '%s' entity references this '%s' entity", child, parent),
		map[string]any{"@referenced_by": child})
}

func errReferencedByOthers(msg string) *Error {
	return daoError(400, 19, "referenced by others", msg, nil)
}

func errUnique(field, value string) *Error {
	return daoError(409, 5, "unique constraint violation",
		fmt.Sprintf("UNIQUE violation detected on '%s'", pretty(map[string]any{field: value})),
		map[string]any{field: value})
}

// errUniqueFields is code 5 for fields unique together (a cache key).
func errUniqueFields(fields map[string]any) *Error {
	return daoError(409, 5, "unique constraint violation",
		fmt.Sprintf("UNIQUE violation detected on '%s'", pretty(fields)), fields)
}

// ErrNotFoundKey is the full code-6 object only DAO updates report.
func ErrNotFoundKey(field, value string) *Error {
	var msg string
	if field == "id" {
		msg = fmt.Sprintf("could not find the entity with primary key '%s'", pretty(map[string]any{"id": value}))
	} else {
		msg = fmt.Sprintf("could not find the entity with '%s'", pretty(map[string]any{field: value}))
	}
	return daoError(404, 6, "not found", msg, map[string]any{field: value})
}

func errInvalidOffset(offset, why string) *Error {
	return daoError(400, 7, "invalid offset", fmt.Sprintf("'%s' is not a valid offset: %s", offset, why), nil)
}

func errInvalidSize(msg string) *Error { return daoError(400, 9, "invalid size", msg, nil) }

func errInvalidUnique(msg string) *Error {
	return daoError(400, 10, "invalid unique name", msg, nil)
}

func errInvalidPrimaryKey(field, msg string) *Error {
	fields := map[string]any{field: msg}
	return daoError(400, 1, "invalid primary key",
		fmt.Sprintf("invalid primary key: '%s'", pretty(fields)), fields)
}

// errUnresolved is code 13: no referenced entity has key = value.
func errUnresolved(field, reference, key string, value any) *Error {
	msg := fmt.Sprintf("the foreign key cannot be resolved with '%s' for an existing '%s' entity",
		pretty(map[string]any{key: value}), reference)
	return daoError(400, 13, "foreign keys unresolved",
		fmt.Sprintf("foreign key unresolved (%s.%s: %s)", field, key, msg),
		map[string]any{field: map[string]any{key: msg}})
}

func errInvalidOption(key, msg string) *Error {
	body := map[string]any{
		"code":    11,
		"name":    "invalid options",
		"message": fmt.Sprintf("invalid option (%s: %s)", key, msg),
		"options": map[string]any{key: msg},
	}
	return &Error{Status: 400, Body: body}
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
