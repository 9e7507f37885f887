package servicehub

import (
	"maps"
	"strings"
	"testing"
)

// kongExposition is shaped like Kong 3.10's /metrics (sorted series, HELP
// and TYPE first, node gauges around the counter), with traffic of several
// services, routes, sources and workspaces.
const kongExposition = `# HELP kong_datastore_reachable Datastore reachable from Kong, 0 is unreachable
# TYPE kong_datastore_reachable gauge
kong_datastore_reachable 1
# HELP kong_http_requests_total HTTP status codes per consumer/service/route in Kong
# TYPE kong_http_requests_total counter
kong_http_requests_total{service="billing-v1",route="invoices",code="200",source="service",workspace="default",consumer=""} 40
kong_http_requests_total{service="payments-v1",route="foo",code="200",source="service",workspace="default",consumer=""} 3
kong_http_requests_total{service="payments-v1",route="foo",code="500",source="service",workspace="default",consumer=""} 1
kong_http_requests_total{service="payments-v1",route="bar",code="200",source="service",workspace="default",consumer="alice"} 2
kong_http_requests_total{service="payments-v1",route="bar",code="502",source="kong",workspace="default",consumer=""} 1
kong_http_requests_total{service="payments-v1",route="foo",code="200",source="service",workspace="team-a",consumer=""} 7
kong_http_requests_total{service="payments-v1",route="foo",code="404",source="service",workspace="team-a",consumer=""} 5
kong_http_requests_total{service="payments-v10",route="foo10",code="200",source="service",workspace="default",consumer=""} 9
kong_http_requests_total{service="",route="orphan",code="404",source="kong",workspace="default",consumer=""} 6
# HELP kong_nginx_requests_total Number of requests total
# TYPE kong_nginx_requests_total gauge
kong_nginx_requests_total{node_id="8a3f",subsystem="http"} 75
# HELP kong_node_info Kong Node metadata information
# TYPE kong_node_info gauge
kong_node_info{node_id="8a3f",version="3.10.0"} 1
# HELP kong_stream_sessions_total Stream status codes per service/route in Kong
# TYPE kong_stream_sessions_total counter
kong_stream_sessions_total{service="payments-v1",route="tcp",code="200",source="service",workspace="default"} 11
`

func TestCountStatusCodes(t *testing.T) {
	cases := []struct {
		name, service, workspace string
		want                     map[string]int64
	}{
		{"default workspace, all routes, sources and consumers", "payments-v1", "",
			map[string]int64{"200": 5, "500": 1, "502": 1}},
		{"named default workspace", "payments-v1", "default",
			map[string]int64{"200": 5, "500": 1, "502": 1}},
		{"another workspace", "payments-v1", "team-a",
			map[string]int64{"200": 7, "404": 5}},
		{"other service, no prefix matching", "payments-v10", "",
			map[string]int64{"200": 9}},
		{"service without traffic", "shipping-v1", "",
			map[string]int64{}},
		{"workspace without traffic", "billing-v1", "team-a",
			map[string]int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := countStatusCodes([]byte(kongExposition), c.service, c.workspace)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got.StatusCodes, c.want) {
				t.Errorf("status codes = %v, want %v", got.StatusCodes, c.want)
			}
			var total int64
			for _, n := range c.want {
				total += n
			}
			if got.Total != total {
				t.Errorf("total = %d, want %d", got.Total, total)
			}
		})
	}
}

// Kong before 3.7 has no workspace label: its series count in any workspace.
func TestCountStatusCodesWithoutWorkspaceLabel(t *testing.T) {
	const old = `# TYPE kong_http_requests_total counter
kong_http_requests_total{service="payments-v1",route="foo",code="200",source="service",consumer=""} 4
kong_http_requests_total{service="payments-v1",route="foo",code="200",source="service",consumer="bob"} 1
`
	for _, ws := range []string{"", "team-a"} {
		got, err := countStatusCodes([]byte(old), "payments-v1", ws)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != 5 || got.StatusCodes["200"] != 5 || len(got.StatusCodes) != 1 {
			t.Errorf("workspace %q: %+v", ws, got)
		}
	}
}

func TestCountStatusCodesLabelEscapingAndUntyped(t *testing.T) {
	// No TYPE line: the family is untyped, still a count. Kong escapes \ and ".
	const body = `kong_http_requests_total{service="we\"ird\\name",route="r",code="201",source="service",workspace="default",consumer=""} 2
kong_http_requests_total{service="we\"ird\\name",route="r",code="201",source="kong",workspace="default",consumer=""} 1e0
`
	got, err := countStatusCodes([]byte(body), `we"ird\name`, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.StatusCodes["201"] != 3 || got.Total != 3 {
		t.Errorf("%+v", got)
	}
}

func TestCountStatusCodesEmptyAndNoCounter(t *testing.T) {
	for _, body := range []string{"", "# HELP kong_node_info x\n# TYPE kong_node_info gauge\nkong_node_info{node_id=\"n\",version=\"3.10.0\"} 1\n"} {
		got, err := countStatusCodes([]byte(body), "payments-v1", "")
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if got.Total != 0 || got.StatusCodes == nil || len(got.StatusCodes) != 0 {
			t.Errorf("%q: %+v", body, got)
		}
	}
}

func TestCountStatusCodesMalformed(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"html page":    {"<html><body>Kong Manager</body></html>\n", "line 1"},
		"json error":   {`{"message":"Not found"}`, "line 1"},
		"broken label": {"kong_http_requests_total{service=\"payments-v1\",code=200} 1\n", "line 1"},
		"bad value":    {"kong_http_requests_total{service=\"payments-v1\",code=\"200\"} many\n", "line 1"},
		"no code":      {"kong_http_requests_total{service=\"payments-v1\",route=\"foo\"} 1\n", "has no code label"},
		"negative":     {"kong_http_requests_total{service=\"payments-v1\",code=\"200\"} -3\n", "is not a request count"},
		"NaN":          {"kong_http_requests_total{service=\"payments-v1\",code=\"200\"} NaN\n", "is not a request count"},
		"histogram": {"# TYPE kong_http_requests_total histogram\nkong_http_requests_total_bucket{service=\"payments-v1\",code=\"200\",le=\"+Inf\"} 1\n" +
			"kong_http_requests_total_count{service=\"payments-v1\",code=\"200\"} 1\nkong_http_requests_total_sum{service=\"payments-v1\",code=\"200\"} 1\n",
			"not a counter"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := countStatusCodes([]byte(c.body), "payments-v1", "")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// Another service's malformed-looking values are not ours to judge; ours
// must be valid.
func TestCountStatusCodesChecksOnlyOwnSeries(t *testing.T) {
	const body = `kong_http_requests_total{service="other",route="x"} 1
kong_http_requests_total{service="payments-v1",route="foo",code="200",workspace="default"} 2
`
	got, err := countStatusCodes([]byte(body), "payments-v1", "")
	if err != nil || got.Total != 2 {
		t.Fatalf("%+v, %v", got, err)
	}
}
