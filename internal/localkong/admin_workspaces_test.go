package localkong

import (
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestWorkspaces(t *testing.T) {
	c := newClient(t, Options{})
	c.expect("GET", "/team-a/services", nil, 404, obj{"message": "Not found"})
	ws := c.must(201, "POST", "/workspaces", obj{"name": "team-a", "comment": "A"})
	if ws["name"] != "team-a" || ws["comment"] != "A" || !store.IsUUID(ws["id"].(string)) {
		t.Errorf("workspace: %v", ws)
	}
	c.expect("POST", "/workspaces", obj{"name": "team-a"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"message": `UNIQUE violation detected on '{name="team-a"}'`, "fields": obj{"name": "team-a"},
	})
	c.expect("POST", "/workspaces", obj{}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (name: required field missing)",
		"fields": obj{"name": "required field missing"},
	})
	if r := c.do("POST", "/workspaces", obj{"name": "services"}); r.status != 400 {
		t.Errorf("reserved workspace name accepted: %d", r.status)
	}
	c.must(200, "GET", "/workspaces/team-a", nil)
	c.must(200, "GET", "/workspaces/"+ws["id"].(string), nil)
	c.must(200, "GET", "/workspaces/default", nil)
	list := c.must(200, "GET", "/workspaces", nil)
	if len(list["data"].([]any)) != 2 {
		t.Errorf("workspaces list: %v", list)
	}

	// Same name in two workspaces; each sees only its own.
	a := c.must(201, "POST", "/team-a/services", obj{"name": "shared", "host": "a.test"})
	d := c.must(201, "POST", "/services", obj{"name": "shared", "host": "d.test"})
	if got := c.must(200, "GET", "/team-a/services/shared", nil)["host"]; got != "a.test" {
		t.Errorf("team-a sees %v", got)
	}
	if got := c.must(200, "GET", "/default/services/shared", nil)["id"]; got != d["id"] {
		t.Errorf("default sees %v", got)
	}
	c.expect("GET", "/services/"+a["id"].(string), nil, 404, obj{"message": "Not found"})
	c.expect("POST", "/team-a/routes", obj{"paths": []any{"/"}, "service": obj{"id": d["id"]}}, 400, nil)
	if n := len(c.must(200, "GET", "/team-a/services", nil)["data"].([]any)); n != 1 {
		t.Errorf("team-a lists %d services", n)
	}
	// Lists under a workspace link without the prefix, as Kong does.
	c.must(201, "POST", "/team-a/services", obj{"host": "b.test"})
	if next := c.must(200, "GET", "/team-a/services?size=1", nil)["next"].(string); next[:10] != "/services?" {
		t.Errorf("next = %s", next)
	}

	// go-kong reads the root info at /{ws}/kong.
	if v := c.must(200, "GET", "/team-a/kong", nil)["version"]; v != "3.10.0" {
		t.Errorf("/team-a/kong version %v", v)
	}

	body := c.must(200, "PATCH", "/workspaces/team-a", obj{"comment": "changed"})
	if body["comment"] != "changed" {
		t.Errorf("PATCH workspace: %v", body)
	}
	c.expect("DELETE", "/workspaces/team-a", nil, 400, obj{"message": "Workspace is not empty"})
	c.expect("DELETE", "/workspaces/default", nil, 400, obj{"message": "Cannot delete default workspace"})
	for _, s := range c.must(200, "GET", "/team-a/services", nil)["data"].([]any) {
		c.must(204, "DELETE", "/team-a/services/"+s.(obj)["id"].(string), nil)
	}
	c.must(204, "DELETE", "/workspaces/team-a", nil)
	c.expect("GET", "/team-a/services", nil, 404, obj{"message": "Not found"})
}
