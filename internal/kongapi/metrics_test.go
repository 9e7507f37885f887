package kongapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const exposition = `# HELP kong_node_info Kong Node metadata information
# TYPE kong_node_info gauge
kong_node_info{node_id="n",version="3.10.0"} 1
`

func TestMetricsURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:8001":  "http://localhost:8001/metrics",
		"http://localhost:8001/": "http://localhost:8001/metrics",
		"https://eu.api.konghq.com/v2/control-planes/cp/core-entities": "https://eu.api.konghq.com/v2/control-planes/cp/core-entities/metrics",
	} {
		got, err := MetricsURL(in)
		if err != nil || got != want {
			t.Errorf("MetricsURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := MetricsURL("localhost:8001"); err == nil {
		t.Error("MetricsURL accepted a URL without scheme")
	}
}

func TestParseMetricsURL(t *testing.T) {
	for _, ok := range []string{"http://kong:8100/metrics", "https://kong/metrics?x=1"} {
		if _, err := ParseMetricsURL(ok); err != nil {
			t.Errorf("ParseMetricsURL(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"kong:8100/metrics", "ftp://kong/metrics", "http:///metrics", "http://kong:x/"} {
		if _, err := ParseMetricsURL(bad); err == nil {
			t.Errorf("ParseMetricsURL(%q) accepted it", bad)
		}
	}
}

func TestMetricsSendsAuthAndReturnsBody(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		_, _ = io.WriteString(w, exposition)
	}))
	defer srv.Close()

	cfg := fastConfig(srv.URL)
	cfg.AdminToken = "secret-admin"
	cfg.Headers = map[string]string{"X-Team": "payments"}
	cfg.Workspace = "team-a" // /metrics is not workspace-scoped
	c := newTestClient(t, cfg)
	url, _ := MetricsURL(srv.URL)
	body, err := c.Metrics(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != exposition {
		t.Errorf("body = %q", body)
	}
	mu.Lock()
	defer mu.Unlock()
	if got.Get("Kong-Admin-Token") != "secret-admin" || got.Get("X-Team") != "payments" {
		t.Errorf("headers = %v", got)
	}
	if !strings.HasPrefix(got.Get("Accept"), "text/plain") {
		t.Errorf("Accept = %q", got.Get("Accept"))
	}
}

func TestMetricsNotFound(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"Not found"}`)
	}))
	defer srv.Close()

	c := newTestClient(t, fastConfig(srv.URL))
	_, err := c.Metrics(context.Background(), srv.URL+"/metrics")
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want a 404", err)
	}
	if !strings.Contains(err.Error(), "GET /metrics: HTTP 404: Not found") {
		t.Errorf("err = %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("a 404 was retried: %d calls", calls.Load())
	}
}

func TestMetricsRetriesAreCapped(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 10
	c := newTestClient(t, cfg)
	_, err := c.Metrics(context.Background(), srv.URL+"/metrics")
	if err == nil {
		t.Fatal("no error from a 503")
	}
	if n := calls.Load(); n != 1+metricsMaxRetries {
		t.Errorf("calls = %d, want %d", n, 1+metricsMaxRetries)
	}

	// max_retries = 0 still means no retries.
	calls.Store(0)
	cfg.MaxRetries = 0
	c = newTestClient(t, cfg)
	_, _ = c.Metrics(context.Background(), srv.URL+"/metrics")
	if n := calls.Load(); n != 1 {
		t.Errorf("with max_retries 0: calls = %d", n)
	}
}

func TestMetricsConnectionRefusedIsImmediate(t *testing.T) {
	addr := freeAddr(t)
	// The Admin API's production backoff: a retried refusal would take
	// seconds.
	cfg := Config{AdminURL: "http://" + addr, MaxRetries: DefaultMaxRetries}
	retries := countRetries(&cfg)
	c := newTestClient(t, cfg)
	start := time.Now()
	_, err := c.Metrics(context.Background(), "http://"+addr+"/metrics")
	if err == nil || !IsUnreachable(err) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(err.Error(), "GET http://"+addr+"/metrics: ") {
		t.Errorf("err does not name the URL: %v", err)
	}
	if retries.Load() != 0 || time.Since(start) > 2*time.Second {
		t.Errorf("refusal retried %d times, took %s", retries.Load(), time.Since(start))
	}
}

func TestMetricsInvalidURL(t *testing.T) {
	c := newTestClient(t, fastConfig("http://127.0.0.1:1"))
	if _, err := c.Metrics(context.Background(), "http://[::1"); err == nil {
		t.Fatal("no error for an unparsable URL")
	}
}
