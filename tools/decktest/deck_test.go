package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The steps of the guide "Sharing a runtime group with decK"
// (templates/guides/sharing-a-runtime-group-with-deck.md.tmpl), with
// decK's own reconciler against localkong and the provider under
// terraform: decK with its select tag, referring to the provider's
// implementation and route through default_lookup_tags; the provider with
// default_tags that decK's lookups name.

// provider is the provider block's settings in every test.
const provider = `default_tags = ["managed-by-terraform"]`

// config is the Terraform side: payments, which decK's plugins refer to
// (so it carries decK's select tag among its own tags: see the guide), and
// billing, which decK leaves alone. paths are the payments route's.
func config(paths, billingURL string) string {
	return fmt.Sprintf(`
resource "servicehub_implementation" "payments" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal/"
  tags    = ["team-edge"]
}

resource "servicehub_route" "payments" {
  implementation_id = servicehub_implementation.payments.id
  name              = "payments"
  paths             = [%s]
  tags              = ["team-edge"]
}

resource "servicehub_implementation" "billing" {
  service = "billing"
  version = "v1"
  name    = "billing-v1"
  url     = %q
}

resource "servicehub_route" "billing" {
  implementation_id = servicehub_implementation.billing.id
  name              = "billing"
  paths             = ["/billing"]
}

resource "servicehub_plugin" "billing_limit" {
  implementation_id = servicehub_implementation.billing.id
  name              = "rate-limiting"
  config            = { minute = 5, policy = "local" }
}
`, paths, billingURL)
}

// deckFile is decK's side: its own Gateway Service and route, and, as
// asked, a plugin on the provider's implementation and one on its route.
func deckFile(onImplementation, onRoute bool) string {
	f := `_format_version: "3.0"
_info:
  select_tags:
  - team-edge
  default_lookup_tags:
    services:
    - managed-by-terraform
    - team-edge
    routes:
    - managed-by-terraform
    - team-edge
services:
- name: edge
  url: http://edge.internal
  routes:
  - name: edge
    paths:
    - /edge
plugins:
`
	if onImplementation {
		f += `- name: cors
  service: payments-v1
  config:
    origins:
    - https://shop.example
`
	}
	if onRoute {
		f += `- name: request-size-limiting
  route: payments
  config:
    allowed_payload_size: 8
`
	}
	if !onImplementation && !onRoute {
		f = strings.TrimSuffix(f, "plugins:\n")
	}
	return f
}

// providers is what the provider made: entities carrying its ownership
// tag.
func providers(_ string, e entity) bool {
	for _, t := range e.tags() {
		if strings.HasPrefix(t, "servicehub:create=") {
			return true
		}
	}
	return false
}

// decks is what decK made: its select tag, not the provider's tag.
func decks(kind string, e entity) bool { return e.hasTag("team-edge") && !providers(kind, e) }

// TestDeckSelectTagLeavesTheProviders: a decK sync with its select tag,
// referring to the provider's implementation and route, creates decK's own
// entities and neither changes nor deletes the provider's; a second sync
// has nothing to do, and the provider's plan is empty.
func TestDeckSelectTagLeavesTheProviders(t *testing.T) {
	w := newWorld(t)
	w.configure(provider, config(`"/payments"`, "http://billing.internal/"))
	w.apply()
	before := w.snapshot()
	if n := len(filter(before, providers)); n != 5 {
		t.Fatalf("the provider made %d entities, want 5 (2 Gateway Services, 2 routes, a plugin): %v", n, before)
	}

	st, out, err := w.deck(false, nil, deckFile(true, true))
	if err != nil {
		t.Fatalf("deck sync: %v\n%s", err, out)
	}
	if st != (Stats{Created: 4}) {
		t.Fatalf("deck sync: %+v, want its service, route and two plugins created:\n%s", st, out)
	}
	after := w.snapshot()
	if d := before.differences(after, providers); len(d) > 0 {
		t.Fatalf("decK's sync changed the provider's entities:\n%s\n%s", strings.Join(d, "\n"), out)
	}
	if n := len(filter(after, decks)); n != 4 {
		t.Fatalf("decK holds %d entities, want 4", n)
	}
	// decK's plugins are on the provider's implementation and route.
	on := map[string]bool{}
	for _, p := range w.list("plugins") {
		if decks("plugins", p) {
			for _, ref := range []string{"service", "route"} {
				if m, ok := p[ref].(map[string]any); ok {
					on[ref+":"+w.nameOf(ref+"s", m["id"].(string))] = true
				}
			}
		}
	}
	if !on["service:payments-v1"] || !on["route:payments"] {
		t.Fatalf("decK's plugins are on %v, want the provider's payments-v1 and payments", on)
	}

	// Again: nothing to do, with the flag as well as with _info.
	if st, out, err := w.deck(false, []string{"team-edge"}, deckFile(true, true)); err != nil || st != (Stats{}) {
		t.Fatalf("second deck sync: %+v %v\n%s", st, err, out)
	}
	if d := w.plan(); len(d) > 0 {
		t.Fatalf("after decK's syncs the provider plans %v", d)
	}
}

// TestDeckProviderLeavesDecks: the provider's apply changes nothing of
// decK's; its destroy refuses to take down decK's plugins on its
// implementation and route, naming them, and deletes none of decK's; once
// decK has removed them, the destroy goes through and decK's own Gateway
// Service and route stay.
func TestDeckProviderLeavesDecks(t *testing.T) {
	w := newWorld(t)
	w.configure(provider, config(`"/payments"`, "http://billing.internal/"))
	w.apply()
	if st, out, err := w.deck(false, nil, deckFile(true, true)); err != nil || st.Created != 4 {
		t.Fatalf("deck sync: %+v %v\n%s", st, err, out)
	}
	deckBefore := w.snapshot()

	// An apply changing the provider's entities, decK's among them.
	w.configure(provider, config(`"/payments", "/pay"`, "http://billing-2.internal/"))
	if got := w.plan(); len(got) != 2 || got["servicehub_route.payments"] != "update" || got["servicehub_implementation.billing"] != "update" {
		t.Fatalf("plan %v, want the two updates", got)
	}
	w.apply()
	if d := deckBefore.differences(w.snapshot(), decks); len(d) > 0 {
		t.Fatalf("the provider's apply changed decK's entities:\n%s", strings.Join(d, "\n"))
	}
	if st, out, err := w.deck(true, nil, deckFile(true, true)); err != nil || st != (Stats{}) {
		t.Fatalf("deck diff after the provider's apply: %+v %v\n%s", st, err, out)
	}

	// Destroy: decK's plugin on the route stops the route's delete.
	plugins := map[string]string{}
	for id, p := range w.list("plugins") {
		if decks("plugins", p) {
			plugins[p.name()] = id
		}
	}
	out, err := w.terraform("destroy", "-auto-approve", "-input=false", "-no-color")
	want := regexp.MustCompile(`(?s)Unable to delete route: others' entities on it.*plugin\s+"request-size-limiting"\s+\(id\s+` +
		plugins["request-size-limiting"] + `,\s+tags\s+\[team-edge\]\).*force_destroy = true`)
	if err == nil || !want.MatchString(out) {
		t.Fatalf("destroy with decK's plugin on the route: %v\n%s", err, out)
	}
	if d := deckBefore.differences(w.snapshot(), decks); len(d) > 0 {
		t.Fatalf("the refused destroy took down decK's entities:\n%s", strings.Join(d, "\n"))
	}

	// decK takes its route plugin away; its plugin on the implementation
	// stops the implementation's delete, naming it.
	if st, out, err := w.deck(false, nil, deckFile(true, false)); err != nil || st != (Stats{Deleted: 1}) {
		t.Fatalf("deck sync without the route plugin: %+v %v\n%s", st, err, out)
	}
	out, err = w.terraform("destroy", "-auto-approve", "-input=false", "-no-color")
	want = regexp.MustCompile(`(?s)Unable to delete implementation: others' entities on it.*plugin\s+"cors"\s+\(id\s+` +
		plugins["cors"] + `,\s+tags\s+\[team-edge\]\)`)
	if err == nil || !want.MatchString(out) {
		t.Fatalf("destroy with decK's plugin on the implementation: %v\n%s", err, out)
	}
	if _, ok := w.list("plugins")[plugins["cors"]]; !ok {
		t.Fatal("the refused destroy took decK's plugin down")
	}

	// decK takes its other plugin away: the destroy goes through, and
	// decK's own Gateway Service and route stay as they were.
	deckOwn := w.snapshot()
	if st, out, err := w.deck(false, nil, deckFile(false, false)); err != nil || st != (Stats{Deleted: 1}) {
		t.Fatalf("deck sync without plugins: %+v %v\n%s", st, err, out)
	}
	w.mustTerraform("destroy", "-auto-approve", "-input=false", "-no-color")
	after := w.snapshot()
	if n := len(filter(after, providers)); n != 0 {
		t.Fatalf("%d of the provider's entities left after its destroy", n)
	}
	if d := deckOwn.differences(after, func(kind string, e entity) bool { return kind != "plugins" && decks(kind, e) }); len(d) > 0 {
		t.Fatalf("the provider's destroy changed decK's own entities:\n%s", strings.Join(d, "\n"))
	}
	if n := len(filter(after, decks)); n != 2 {
		t.Fatalf("decK holds %d entities after the provider's destroy, want its Gateway Service and route", n)
	}
}

// TestDeckWithoutSelectTag: what the guide warns against. A sync without a
// select tag takes the whole runtime group for decK's: it deletes the
// provider's entities. The provider's next plan creates them again, and
// its apply does so; nothing is stuck.
func TestDeckWithoutSelectTag(t *testing.T) {
	w := newWorld(t)
	w.configure(provider, config(`"/payments"`, "http://billing.internal/"))
	w.apply()
	own := `_format_version: "3.0"
services:
- name: edge
  url: http://edge.internal
  routes:
  - name: edge
    paths:
    - /edge
`
	st, out, err := w.deck(false, nil, own)
	if err != nil {
		t.Fatalf("deck sync: %v\n%s", err, out)
	}
	if st.Created != 2 || st.Deleted != 5 {
		t.Fatalf("deck sync without a select tag: %+v, want its 2 created and the provider's 5 deleted\n%s", st, out)
	}
	if n := len(filter(w.snapshot(), providers)); n != 0 {
		t.Fatalf("%d of the provider's entities survived", n)
	}
	got := w.plan()
	for _, addr := range []string{
		"servicehub_implementation.payments", "servicehub_route.payments", "servicehub_implementation.billing",
		"servicehub_route.billing", "servicehub_plugin.billing_limit",
	} {
		if got[addr] != "create" {
			t.Errorf("%s: %q, want create", addr, got[addr])
		}
	}
	if len(got) != 5 {
		t.Fatalf("plan after decK deleted the provider's entities: %v", got)
	}
	w.apply()
	if got := w.plan(); len(got) != 0 {
		t.Fatalf("plan after the provider re-created its entities: %v", got)
	}
	if n := len(filter(w.snapshot(), providers)); n != 5 {
		t.Fatalf("the provider holds %d entities again, want 5", n)
	}
}

// filter is the entities of a snapshot keep accepts, by kind and id.
func filter(s snapshot, keep func(kind string, e entity) bool) []string {
	var out []string
	for kind, all := range s {
		for id, b := range all {
			var e entity
			_ = json.Unmarshal([]byte(b), &e)
			if keep(kind, e) {
				out = append(out, kind+"/"+id)
			}
		}
	}
	return out
}

// nameOf is the name of the entity of kind with id.
func (w *world) nameOf(kind, id string) string { return w.list(kind)[id].name() }

// TestDeckLookupAddsItsSelectTag is why the guide gives decK's select tag
// to the implementations and routes decK refers to: looked up without it
// (by the provider's default tag alone), decK's engine adds its select tag
// to each, an update of the provider's entities, and the provider's next
// plan takes that tag away again.
func TestDeckLookupAddsItsSelectTag(t *testing.T) {
	w := newWorld(t)
	untagged := strings.ReplaceAll(config(`"/payments"`, "http://billing.internal/"), `tags              = ["team-edge"]`, "")
	w.configure(provider, strings.ReplaceAll(untagged, `tags    = ["team-edge"]`, ""))
	w.apply()
	before := w.snapshot()
	file := strings.ReplaceAll(deckFile(true, true), "    - managed-by-terraform\n    - team-edge\n", "    - managed-by-terraform\n")
	st, out, err := w.deck(false, nil, file)
	if err != nil {
		t.Fatalf("deck sync: %v\n%s", err, out)
	}
	changed := before.differences(w.snapshot(), providers)
	// Both Gateway Services and both routes: what the lookups found.
	if st.Updated != 4 || len(changed) != 4 {
		t.Fatalf("deck sync %+v; the provider's entities changed: %d, want its 2 Gateway Services and 2 routes\n%s", st, len(changed), strings.Join(changed, "\n"))
	}
	for _, e := range w.list("services") {
		if providers("services", e) && !e.hasTag("team-edge") {
			t.Fatalf("decK's update did not tag %s: %v", e.name(), e.tags())
		}
	}
	if got := w.plan(); len(got) != 4 {
		t.Fatalf("the provider's plan after decK tagged its entities: %v, want the four updates taking the tag away", got)
	}
}
