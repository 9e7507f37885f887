package konnectapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// One query for every Gateway Service of the control plane: grouped by
// service first (the limit cuts services, not status codes), filtered on
// the control plane; events read per service, requests without a service
// skipped, ____OTHER____ status codes apart, truncated kept.
func TestServiceStatusCodes(t *testing.T) {
	var got map[string]any
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		_ = json.NewDecoder(r.Body).Decode(&got)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":[
		  {"timestamp":"t","event":{"gateway_service":"cp:AAAA","status_code":"200","request_count":3}},
		  {"timestamp":"t","event":{"gateway_service":"cp:aaaa","status_code":404,"request_count":2}},
		  {"timestamp":"t","event":{"gateway_service":"cp:bbbb","status_code":"503","request_count":1}},
		  {"timestamp":"t","event":{"gateway_service":"cp:bbbb","status_code":"____OTHER____","request_count":4}},
		  {"timestamp":"t","event":{"gateway_service":null,"status_code":"404","request_count":9}}],
		 "meta":{"truncated":true,"limit":1000}}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	res, err := c.ServiceStatusCodes(context.Background(), "6h")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.ByService) != "map[aaaa:map[200:3 404:2] bbbb:map[503:1]]" || fmt.Sprint(res.Other) != "map[bbbb:4]" || !res.Truncated {
		t.Fatalf("%+v", res)
	}
	want := fmt.Sprintf(`map[datasource:api_usage dimensions:[gateway_service status_code] filters:[map[field:control_plane operator:in value:[%s]]] limit:1000 metrics:[request_count] time_range:map[time_range:6h type:relative]]`, c.ControlPlaneID)
	if fmt.Sprint(got) != want || calls != 1 {
		t.Fatalf("%d queries; query\n got %v\nwant %s", calls, got, want)
	}
}

func TestDocumentVersion(t *testing.T) {
	for doc, want := range map[string]string{
		"openapi: 3.0.3\ninfo:\n  title: x\n  version: 1.2.0\n": "1.2.0",
		`{"openapi":"3.1.0","info":{"version":"v2"}}`:           "v2",
		"openapi: 3.0.3\ninfo:\n  version: 2\n":                 "2",
		`{"swagger":"2.0","info":{"title":"x"}}`:                "",
		"not: [a document":                                      "",
	} {
		if got := DocumentVersion(doc); got != want {
			t.Errorf("DocumentVersion(%q) = %q, want %q", doc, got, want)
		}
	}
}
