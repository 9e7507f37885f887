package localkong

import (
	"strings"
	"testing"
)

const (
	cpA = "/v2/control-planes/11111111-1111-4111-8111-111111111111/core-entities"
	cpB = "/v2/control-planes/22222222-2222-4222-8222-222222222222/core-entities"
)

func TestKonnectAuth(t *testing.T) {
	c := newClient(t, Options{Konnect: true, AdminToken: "kpat_x"})
	c.expect("GET", cpA+"/services", nil, 401, obj{"message": "No API key found in request", "status": 401})
	c.header.Set("Authorization", "Bearer nope")
	c.expect("GET", cpA+"/services", nil, 401, obj{"message": "Unauthorized", "status": 401})
	c.header.Set("Authorization", "Basic a3BhdF94")
	c.expect("GET", cpA+"/services", nil, 401, obj{"message": "Unauthorized", "status": 401})
	c.header.Add("Authorization", "Bearer kpat_x")
	c.expect("GET", cpA+"/services", nil, 401, obj{"message": "Duplicate API key found", "status": 401})
	c.header.Set("Authorization", "Bearer kpat_x")
	c.must(200, "GET", cpA+"/services", nil)
	// Kong's own token header means nothing to Konnect.
	c.header.Del("Authorization")
	c.header.Set("Kong-Admin-Token", "kpat_x")
	c.expect("GET", cpA+"/services", nil, 401, obj{"message": "No API key found in request", "status": 401})
}

func TestKonnectEntities(t *testing.T) {
	c := newClient(t, Options{Konnect: true, AdminToken: "kpat_x"})
	c.header.Set("Authorization", "Bearer kpat_x")

	svc := c.must(201, "POST", cpA+"/services", obj{"name": "svc", "host": "example.com"})
	sid := svc["id"].(string)
	c.must(200, "GET", cpA+"/services/svc", nil)
	c.must(200, "GET", cpA+"/services/"+sid, nil)
	// Each control plane is its own namespace.
	c.expect("GET", cpB+"/services/svc", nil, 404, obj{"message": "Not found"})
	// Its id is a UUID, which Konnect takes in either case: one control
	// plane, whatever the case of the URL.
	const upper = "/v2/control-planes/ABCDEF12-3333-4333-8333-33333333333A/core-entities"
	c.must(201, "POST", upper+"/services", obj{"name": "svc-upper", "host": "example.com"})
	c.must(200, "GET", strings.ToLower(upper)+"/services/svc-upper", nil)
	c.expect("POST", strings.ToLower(upper)+"/services", obj{"name": "svc-upper", "host": "example.com"}, 409, nil)
	c.must(201, "POST", cpB+"/services", obj{"name": "svc", "host": "other.test"})

	route := c.must(201, "POST", cpA+"/services/svc/routes", obj{"name": "r", "paths": []any{"/"}})
	c.must(200, "GET", cpA+"/routes/r", nil)
	c.must(200, "GET", cpA+"/services/svc/routes/r", nil)
	body := c.must(200, "PUT", cpA+"/routes/r", obj{"paths": []any{"/new"}, "service": obj{"id": sid}})
	if body["id"] != route["id"] {
		t.Errorf("PUT changed id: %v", body)
	}

	// No PATCH anywhere.
	for _, p := range []string{"/services/svc", "/routes/r", "/services/svc/routes/r"} {
		c.expect("PATCH", cpA+p, obj{}, 405, obj{"message": "Method not allowed"})
	}
	if list := c.must(200, "GET", cpA+"/services?filter[name][eq]=svc", nil); len(list["data"].([]any)) != 1 {
		t.Errorf("filter eq: %v", list)
	}
	if list := c.must(200, "GET", cpA+"/services?filter[name][contains]=zz", nil); len(list["data"].([]any)) != 0 {
		t.Errorf("filter contains: %v", list)
	}

	// Deleting what is missing is a 204, nested too.
	c.must(204, "DELETE", cpA+"/services/svc/routes/00000000-0000-4000-8000-000000000000", nil)
	c.must(204, "DELETE", cpA+"/services/svc/routes/r", nil)
	c.must(204, "DELETE", cpA+"/services/svc", nil)
	c.must(204, "DELETE", cpA+"/services/svc", nil)

	// Kong's paths are not served, nor /metrics.
	for _, p := range []string{"/", "/services", "/status", "/metrics", "/v2/control-planes/x/nodes", cpA + "/schemas/services"} {
		c.expect("GET", p, nil, 404, obj{"message": "Not found"})
	}
}

func TestKonnectCertificates(t *testing.T) {
	c := newClient(t, Options{Konnect: true})
	c.header.Set("Authorization", "Bearer any-token")
	cert, key := testCert(t, "k.test", false)
	body := c.must(201, "POST", cpA+"/certificates", obj{"cert": cert, "key": key})
	c.must(200, "GET", cpA+"/certificates/"+body["id"].(string), nil)
	ca, _ := testCert(t, "ca.test", true)
	body = c.must(201, "POST", cpA+"/ca_certificates", obj{"cert": ca})
	c.must(204, "DELETE", cpA+"/ca_certificates/"+body["id"].(string), nil)
}
