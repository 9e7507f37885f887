package localkong

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The Control Planes API: any UUID is a control plane to localkong (GET
// by id), the list holds the proxy's and those written to, with the
// document's paging and filters; every one reports the cluster type
// chosen for the server.
func TestKonnectControlPlanes(t *testing.T) {
	k := newKonnect(t, Options{})
	served := DefaultControlPlaneID
	other := "0d3f1c2a-5b6e-4f70-8a91-b2c3d4e5f607"

	cp := k.call("GET", "/v2/control-planes/"+served, nil, 200)
	config := cp["config"].(map[string]any)
	if cp["id"] != served || cp["name"] != "localkong" || config["cluster_type"] != "CLUSTER_TYPE_CONTROL_PLANE" ||
		config["control_plane_endpoint"] != k.srv.AdminURL || !reflect.DeepEqual(cp["labels"], obj{"localkong": "proxied"}) {
		t.Errorf("the proxy's control plane: %s", mustJSON(cp))
	}
	u, _ := url.Parse(k.srv.ProxyURL)
	port, _ := strconv.Atoi(u.Port())
	if proxies := config["proxy_urls"].([]any); !reflect.DeepEqual(proxies, []any{obj{"host": u.Hostname(), "port": float64(port), "protocol": "http"}}) {
		t.Errorf("proxy_urls %v, proxy %s", proxies, k.srv.ProxyURL)
	}
	// Any UUID, in any case, answers; only the proxy's is listed until
	// something is written to another.
	if got := k.call("GET", "/v2/control-planes/"+strings.ToUpper(other), nil, 200); got["id"] != other || got["name"] != "localkong-0d3f1c2a" {
		t.Errorf("another control plane: %v", got)
	}
	list := func(query string, want ...string) {
		t.Helper()
		body := k.call("GET", "/v2/control-planes"+query, nil, 200)
		var got []string
		for _, it := range body["data"].([]any) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
	list("", served)
	k.serviceIn(other, "s")
	list("", served, other)
	list("?page[size]=1&page[number]=2", other)
	list("?sort=created_at%20desc", other, served)
	list("?filter[id][eq]="+other, other)
	list("?filter[id][oeq]="+served+","+other, served, other)
	list("?filter[name][eq]=localkong", served)
	list("?filter[name][neq]=localkong", other)
	list("?filter[name][contains]=0d3f", other)
	list("?filter[cluster_type][eq]=CLUSTER_TYPE_CONTROL_PLANE", served, other)
	list("?filter[cluster_type][neq]=CLUSTER_TYPE_CONTROL_PLANE")
	list("?filter[cloud_gateway]=true")
	list("?filter[cloud_gateway]=false", served, other)
	list("?labels=localkong:proxied", served)
	list("?labels=localkong", served)
	list("?labels=localkong:other")
	if meta := k.call("GET", "/v2/control-planes?page[size]=1", nil, 200)["meta"]; !reflect.DeepEqual(meta, obj{"page": obj{"number": 1.0, "size": 1.0, "total": 2.0}}) {
		t.Errorf("meta %v", meta)
	}

	// The document's errors.
	k.problem("GET", "/v2/control-planes/nope", nil, 400, obj{"status": 400, "title": "Bad Request",
		"detail": "Request contains invalid ID format", "invalid_parameters": []any{obj{"field": "id", "reason": "invalid ID format"}}}, "400InvalidIDFormatExample")
	k.problem("GET", "/v2/control-planes?filter[id][contains]=x", nil, 400, badParams(obj{"field": "filter[id][contains]", "rule": "enum",
		"choices": []any{"eq", "oeq"}, "reason": `"filter[id][contains]" field must contain any of: [eq, oeq]`}), "")
	k.problem("GET", "/v2/control-planes?filter[cloud_gateway]=maybe", nil, 400, badParams(obj{"field": "filter[cloud_gateway]",
		"rule": "is_boolean", "reason": "filter[cloud_gateway] must be true or false"}), "")
	k.problem("GET", "/v2/control-planes?sort=name", nil, 400, nil, "")
	k.problem("GET", "/v2/control-planes?labels=:x", nil, 400, nil, "")
	k.problem("POST", "/v2/control-planes", obj{"name": "x"}, http.StatusMethodNotAllowed, nil, "")
	k.header.Del("Authorization")
	k.problem("GET", "/v2/control-planes", nil, 401, nil, "")

	if n := k.srv.KonnectRequestCounts()[KonnectControlPlanes]; n < 20 {
		t.Errorf("%d control-plane requests counted", n)
	}
	k.srv.ResetRequestCount()
	if n := k.srv.KonnectRequestCounts()[KonnectControlPlanes]; n != 0 {
		t.Errorf("%d after reset", n)
	}
}

// -control-plane-cluster-type: a control plane managed by the Kong
// Ingress Controller says so; an unknown type is refused at start.
func TestKonnectControlPlaneClusterType(t *testing.T) {
	k := newKonnect(t, Options{ControlPlaneClusterType: ClusterTypeIngressController})
	for _, id := range []string{DefaultControlPlaneID, "0d3f1c2a-5b6e-4f70-8a91-b2c3d4e5f607"} {
		if typ := k.call("GET", "/v2/control-planes/"+id, nil, 200)["config"].(map[string]any)["cluster_type"]; typ != ClusterTypeIngressController {
			t.Errorf("%s: cluster_type %v", id, typ)
		}
	}
	k.call("GET", "/v2/control-planes?filter[cluster_type][oeq]=CLUSTER_TYPE_K8S_INGRESS_CONTROLLER,CLUSTER_TYPE_CONTROL_PLANE", nil, 200)
	if _, err := NewTestServer(Options{Konnect: true, ControlPlaneClusterType: "CLUSTER_TYPE_MAINFRAME"}); err == nil ||
		!strings.Contains(err.Error(), "CLUSTER_TYPE_K8S_INGRESS_CONTROLLER") {
		t.Errorf("an unknown cluster type: %v", err)
	}
}
