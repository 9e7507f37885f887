package localkong

import (
	"net/http"
	"testing"
)

func TestAdminToken(t *testing.T) {
	c := newClient(t, Options{AdminToken: "s3cret"})
	denied := obj{"message": "Invalid credentials. Token or User credentials required"}
	c.expect("GET", "/", nil, 401, denied)
	c.expect("GET", "/services", nil, 401, denied)
	c.expect("POST", "/services", obj{"host": "example.com"}, 401, denied)
	c.expect("GET", "/nope", nil, 401, denied)

	c.header.Set("Kong-Admin-Token", "wrong")
	c.expect("GET", "/services", nil, 401, denied)

	// Header names are case-insensitive: go-kong sends kong-admin-token.
	c.header = http.Header{}
	c.header["kong-admin-token"] = []string{"s3cret"}
	c.must(200, "GET", "/services", nil)
	r := c.do("GET", "/", nil)
	if r.status != 200 || r.header.Get("Server") != "kong/3.10.0" {
		t.Errorf("authorised root: %d %v", r.status, r.header)
	}
}

func TestNoTokenByDefault(t *testing.T) {
	c := newClient(t, Options{})
	c.header.Set("Kong-Admin-Token", "anything")
	c.must(200, "GET", "/services", nil)
}
