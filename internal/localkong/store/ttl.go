package store

import (
	"math"
	"time"
)

// Entities whose schema has ttl = true (key-auth's credentials) may expire:
// a write may carry "ttl" (seconds, 0 for never), which the Admin API takes
// out of the body as an option (kong/api/endpoints.lua extract_options),
// every write sets the expiry anew (a write without ttl clears it), reads
// report the whole seconds left (Postgres: FLOOR(ttl - now)) or null, and
// an expired entity is gone for every read and for uniqueness.

// maxTTL is the DAO's DAO_MAX_TTL.
const maxTTL = 100000000

// takeTTL removes the ttl option from a write's body for kinds that have
// one; kinds without one keep it, so that it is an unknown field.
func takeTTL(k *Kind, body map[string]any) (float64, *Error) {
	if !k.ttl {
		return 0, nil
	}
	v, ok := body["ttl"]
	if !ok {
		return 0, nil
	}
	delete(body, "ttl")
	n, isNum := v.(float64)
	if v == nil {
		return 0, nil
	}
	if !isNum || n != math.Floor(n) || n < 0 || n > maxTTL {
		return 0, errInvalidOption("ttl", "must be an integer between 0 and 100000000")
	}
	return n, nil
}

// nowExact is the time with sub-second precision, for expiries.
func nowExact() float64 { return float64(time.Now().UnixNano()) / 1e9 }

// setExpiry records when id expires, ttl seconds from now (0: never).
func (sp *Space) setExpiry(k *Kind, id string, ttl float64) {
	t := sp.table(k.name)
	if ttl == 0 {
		delete(t.expires, id)
		return
	}
	if t.expires == nil {
		t.expires = map[string]float64{}
	}
	t.expires[id] = nowExact() + ttl
}

// expired reports whether the row id of table t has expired.
func (t *table) expired(id string) bool {
	at, ok := t.expires[id]
	return ok && at <= nowExact()
}

// purgeExpired drops the expired rows of a kind, so that they hold no
// unique value any more. Caller holds the write lock.
func (sp *Space) purgeExpired(k *Kind) {
	t := sp.table(k.name)
	for id := range t.expires {
		if t.expired(id) {
			if e := t.rows[id]; e != nil {
				sp.remove(k, e)
			}
			delete(t.expires, id)
		}
	}
}

// presentTTL adds the seconds left ("ttl") to an entity that may expire.
func presentTTL(_ *Store, sp *Space, k *Kind, e map[string]any) map[string]any {
	out := clone(e)
	out["ttl"] = nil
	id, _ := e["id"].(string)
	if t := sp.tabs[k.name]; t != nil {
		if at, ok := t.expires[id]; ok {
			out["ttl"] = math.Floor(at - nowExact())
		}
	}
	return out
}
