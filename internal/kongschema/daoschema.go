package kongschema

import (
	"crypto/rand"
	"encoding/base64"
	"math/big"
)

// EntityDef declares an entity a plugin adds to Kong's database, as its
// kong/plugins/<name>/daos.lua does (key-auth's keyauth_credentials, …).
// The primary key is "id".
type EntityDef struct {
	Name        string
	EndpointKey string // the unique field paths may name an entity by ("" for none)
	Fields      []NamedField
	Checks      []Check
}

// EntitySchema is a plugin's entity schema, run through the same engine as
// Kong's core entities.
type EntitySchema struct {
	s *schema
}

// NewEntitySchema builds the schema of d.
func NewEntitySchema(d EntityDef) *EntitySchema {
	return &EntitySchema{s: newSchema(&schema{
		name: d.Name, primaryKey: "id", endpointKey: d.EndpointKey,
		fields: d.Fields, checks: d.Checks,
	})}
}

// Name is the entity's name (its DAO's).
func (e *EntitySchema) Name() string { return e.s.name }

// EndpointKey is the unique field an Admin API path may name an entity by.
func (e *EntitySchema) EndpointKey() string { return e.s.endpointKey }

// Fields are the entity's fields in declaration order.
func (e *EntitySchema) Fields() []NamedField { return e.s.fields }

// Process runs Kong's write path (see the package's Process). On insert and
// upsert, an absent auto string field (key-auth's key, jwt's key and
// secret) gets a random 32-character value first, as process_auto_fields
// does.
func (e *EntitySchema) Process(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	body = copyMap(body)
	if body == nil {
		body = map[string]any{}
	}
	if op != Update {
		for _, nf := range e.s.fields {
			if _, present := body[nf.Name]; !present && nf.Field.Auto && nf.Field.Type == "string" && !nf.Field.UUID {
				body[nf.Name] = RandomString()
			}
		}
	}
	return process(e.s, op, body, existing, true)
}

// Validate is POST /schemas/{entity}/validate for the entity.
func (e *EntitySchema) Validate(body map[string]any) *Violation {
	_, v := process(e.s, Insert, body, nil, false)
	return v
}

// Document is the entity's GET /schemas/{entity} document.
func (e *EntitySchema) Document() map[string]any { return schemaDocument(e.s) }

// ValidateKey checks a path segment naming an entity by its endpoint key,
// as the DAO's select_by_<key> does; "" when valid.
func (e *EntitySchema) ValidateKey(key string) string {
	f := e.s.byName[e.s.endpointKey]
	if f == nil {
		return ""
	}
	if err := (&vctx{}).validateField(f, key); err != nil {
		return luaString(err)
	}
	return ""
}

// RandomString is kong.tools.rand.random_string: 24 random bytes in
// base64 without padding, "/" and "+" replaced by random letters (A-Z and
// a-z): 32 alphanumeric characters.
func RandomString() string {
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	out := []byte(base64.RawStdEncoding.EncodeToString(raw))
	for i, b := range out {
		switch b {
		case '/':
			out[i] = 'A' + randByte(26)
		case '+':
			out[i] = 'a' + randByte(26)
		}
	}
	return string(out)
}

func randByte(n int64) byte {
	v, _ := rand.Int(rand.Reader, big.NewInt(n))
	return byte(v.Int64())
}
