package kongapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"
)

// fastConfig keeps retry waits tiny so the tests stay quick.
func fastConfig(url string) Config {
	return Config{
		AdminURL:      url,
		MaxRetries:    3,
		RetryWaitMin:  time.Millisecond,
		RetryWaitMax:  5 * time.Millisecond,
		MaxRetryAfter: 3 * time.Second,
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const serviceJSON = `{"id":"0b0c3c5e-6d8f-4f4f-9d4e-1a2b3c4d5e6f","name":"svc","host":"example.com","port":80,"protocol":"http"}`

func TestRetry429RetryAfterSeconds(t *testing.T) {
	var calls atomic.Int32
	var first, second time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"message":"API rate limit exceeded"}`)
		default:
			second = time.Now()
			_, _ = io.WriteString(w, serviceJSON)
		}
	}))
	defer srv.Close()

	c := newTestClient(t, fastConfig(srv.URL))
	s, err := c.GetService(context.Background(), "svc")
	if err != nil {
		t.Fatal(err)
	}
	if *s.Host != "example.com" || calls.Load() != 2 {
		t.Fatalf("host=%q calls=%d", *s.Host, calls.Load())
	}
	// Backoff alone would wait milliseconds; Retry-After asked for a second.
	if waited := second.Sub(first); waited < 900*time.Millisecond {
		t.Fatalf("retried after %v, want about 1s (Retry-After)", waited)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		status int
		value  string
		want   time.Duration
		ok     bool
	}{
		{429, "3", 3 * time.Second, true},
		{503, "0", 0, true},
		{429, now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{429, now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{429, "soon", 0, false},
		{429, "-5", 0, false},
		{429, "", 0, false},
		{502, "3", 0, false}, // only meaningful on 429/503
	}
	for _, tt := range tests {
		resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
		if tt.value != "" {
			resp.Header.Set("Retry-After", tt.value)
		}
		got, ok := retryAfter(resp, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%d, %q) = %v, %v; want %v, %v", tt.status, tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := backoff(10 * time.Second)
	lo, hi := 100*time.Millisecond, time.Second
	for attempt, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second} {
		if got := b(lo, hi, attempt, &http.Response{StatusCode: 503, Header: http.Header{}}); got != want {
			t.Errorf("attempt %d: %v, want %v", attempt, got, want)
		}
	}
	if got := b(lo, hi, 80, nil); got != hi {
		t.Errorf("huge attempt: %v, want cap %v", got, hi)
	}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3600"}}}
	if got := b(lo, hi, 0, resp); got != 10*time.Second {
		t.Errorf("Retry-After 3600 gave %v, want the 10s cap", got)
	}
}

func TestRetry503ThenSuccess(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, serviceJSON)
	}))
	defer srv.Close()

	c := newTestClient(t, fastConfig(srv.URL))
	if _, err := c.GetService(context.Background(), "svc"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Fatalf("calls = %d, want 3", calls.Load())
	}
}

func TestRetryBoundedByMaxRetries(t *testing.T) {
	for _, status := range []int{502, 503, 504, 429} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.WriteHeader(status)
				_, _ = io.WriteString(w, `{"message":"busy"}`)
			}))
			defer srv.Close()

			cfg := fastConfig(srv.URL)
			cfg.MaxRetries = 2
			c := newTestClient(t, cfg)
			_, err := c.GetService(context.Background(), "svc")
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != status || e.Message != "busy" {
				t.Fatalf("err = %v, want the last %d decoded", err, status)
			}
			if calls.Load() != 3 {
				t.Fatalf("calls = %d, want 1 + 2 retries", calls.Load())
			}
		})
	}
}

func TestNoRetryOnClientErrorsOr500(t *testing.T) {
	for _, status := range []int{400, 401, 404, 409, 500} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(status)
		}))
		c := newTestClient(t, fastConfig(srv.URL))
		_, _ = c.GetService(context.Background(), "svc")
		srv.Close()
		if calls.Load() != 1 {
			t.Errorf("status %d: calls = %d, want 1", status, calls.Load())
		}
	}
}

func TestRetryConnectionReset(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			// RST instead of FIN: the client sees "connection reset by peer".
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
		if r.Method != http.MethodPut {
			t.Errorf("method = %s", r.Method)
		}
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), `"host":"example.com"`) {
			t.Errorf("retried request lost its body: %s", body)
		}
		_, _ = io.WriteString(w, serviceJSON)
	}))
	defer srv.Close()

	c := newTestClient(t, fastConfig(srv.URL))
	_, err := c.PutService(context.Background(), &kong.Service{ID: kong.String(NewID()), Host: kong.String("example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("calls = %d, want 2", calls.Load())
	}
}

func TestConnectionRefusedGivesUp(t *testing.T) {
	cfg := fastConfig("http://" + freeAddr(t))
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)
	_, err := c.GetService(context.Background(), "svc")
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v", err)
	}
}

func TestHeadersAndTokens(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		_, _ = io.WriteString(w, serviceJSON)
	}))
	defer srv.Close()

	cfg := fastConfig(srv.URL)
	cfg.AdminToken = "admin-secret"
	cfg.KonnectToken = "kpat_secret"
	cfg.Headers = map[string]string{"X-Team": "payments", "Kong-Admin-Token": "overridden"}
	cfg.UserAgent = "terraform-provider-servicehub/test"
	c := newTestClient(t, cfg)
	if _, err := c.GetService(context.Background(), "svc"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if v := got.Get("Kong-Admin-Token"); v != "admin-secret" {
		t.Errorf("Kong-Admin-Token = %q", v)
	}
	if v := got.Get("Authorization"); v != "Bearer kpat_secret" {
		t.Errorf("Authorization = %q", v)
	}
	if v := got.Get("X-Team"); v != "payments" {
		t.Errorf("X-Team = %q", v)
	}
	if v := got.Values("User-Agent"); len(v) != 1 || v[0] != "terraform-provider-servicehub/test" {
		t.Errorf("User-Agent = %q", v)
	}
}

func TestLogNeverSeesTokens(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"message":"Invalid credentials. Token or User credentials required"}`)
	}))
	defer srv.Close()

	var mu sync.Mutex
	var lines []string
	cfg := fastConfig(srv.URL)
	cfg.AdminToken = "admin-secret-123"
	cfg.KonnectToken = "kpat_secret_456"
	cfg.Headers = map[string]string{"X-Api-Key": "header-secret-789"}
	cfg.Log = func(_ context.Context, msg string, fields map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprint(msg, fields))
	}
	c := newTestClient(t, cfg)
	_, err := c.GetService(context.Background(), "svc")
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v, want 401", err)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(lines, "\n") + err.Error()
	if !strings.Contains(all, "retrying") || !strings.Contains(all, "401") {
		t.Fatalf("expected request and retry entries, got:\n%s", all)
	}
	for _, secret := range []string{"admin-secret-123", "kpat_secret_456", "header-secret-789"} {
		if strings.Contains(all, secret) {
			t.Errorf("log or error contains %q:\n%s", secret, all)
		}
	}
}

func TestWorkspacePrefix(t *testing.T) {
	var path atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path.Store(r.URL.Path)
		_, _ = io.WriteString(w, serviceJSON)
	}))
	defer srv.Close()

	cfg := fastConfig(srv.URL + "/")
	cfg.Workspace = "team-a"
	c := newTestClient(t, cfg)
	if _, err := c.GetService(context.Background(), "svc"); err != nil {
		t.Fatal(err)
	}
	if got := path.Load(); got != "/team-a/services/svc" {
		t.Fatalf("path = %v", got)
	}
}

func TestWritesAreIdempotent(t *testing.T) {
	var mu sync.Mutex
	var reqs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, r.Method+" "+r.URL.RequestURI())
		mu.Unlock()
		switch r.Method {
		case http.MethodDelete:
			w.WriteHeader(http.StatusNotFound) // Konnect-style or nested 404
			_, _ = io.WriteString(w, `{"message":"Not found"}`)
		case http.MethodGet:
			_, _ = io.WriteString(w, `{"data":[`+serviceJSON+`],"next":null}`)
		default:
			_, _ = io.WriteString(w, serviceJSON)
		}
	}))
	defer srv.Close()

	c := newTestClient(t, fastConfig(srv.URL+"/v2/control-planes/cp1/core-entities"))
	ctx := context.Background()
	id := NewID()
	if _, err := c.PutService(ctx, &kong.Service{ID: &id, Host: kong.String("h")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutService(ctx, &kong.Service{Host: kong.String("h")}); err == nil {
		t.Fatal("PutService without id succeeded; it would POST")
	}
	if err := c.DeleteService(ctx, id); err != nil {
		t.Fatalf("delete of a missing service: %v", err)
	}
	svcs, err := c.ListServicesByTags(ctx, "servicehub:service=pay", "servicehub:version=v1")
	if err != nil || len(svcs) != 1 {
		t.Fatalf("list = %v, %v", svcs, err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"PUT /v2/control-planes/cp1/core-entities/services/" + id,
		"DELETE /v2/control-planes/cp1/core-entities/services/" + id,
		"GET /v2/control-planes/cp1/core-entities/services?size=1000&tags=servicehub%3Aservice%3Dpay%2Cservicehub%3Aversion%3Dv1",
	}
	if strings.Join(reqs, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(reqs, "\n"), strings.Join(want, "\n"))
	}
}

func TestListFollowsOffset(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			if r.URL.Query().Get("offset") != "" {
				t.Error("first page sent an offset")
			}
			_, _ = io.WriteString(w, `{"data":[`+serviceJSON+`],"offset":"abc"}`)
			return
		}
		if r.URL.Query().Get("offset") != "abc" || r.URL.Query().Get("tags") != "a,b" {
			t.Errorf("second page query = %s", r.URL.RawQuery)
		}
		_, _ = io.WriteString(w, `{"data":[`+serviceJSON+`],"next":null}`)
	}))
	defer srv.Close()
	c := newTestClient(t, fastConfig(srv.URL))
	svcs, err := c.ListServicesByTags(context.Background(), "a", "b")
	if err != nil || len(svcs) != 2 {
		t.Fatalf("got %d services, err %v", len(svcs), err)
	}
}

func TestParseAdminURL(t *testing.T) {
	for _, bad := range []string{"localhost:8001", "ftp://kong", "http://", "http://kong:8001/?x=1", "::"} {
		if _, err := ParseAdminURL(bad); err == nil {
			t.Errorf("ParseAdminURL(%q) accepted", bad)
		}
	}
	u, err := ParseAdminURL("https://us.api.konghq.com/v2/control-planes/x/core-entities/")
	if err != nil || u.String() != "https://us.api.konghq.com/v2/control-planes/x/core-entities" {
		t.Fatalf("got %v, %v", u, err)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) == 0 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, serviceJSON)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	ctx := context.Background()

	// Untrusted certificate: fails fast, no retries.
	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 5
	c := newTestClient(t, cfg)
	_, err := c.GetService(ctx, "svc")
	var unknownCA x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	if err == nil || !(errors.As(err, &unknownCA) || errors.As(err, &verify)) {
		t.Fatalf("err = %v, want a certificate error", err)
	}

	// Skip verify: connects, but the server wants a client certificate.
	cfg.TLSSkipVerify = true
	if _, err := newTestClient(t, cfg).GetService(ctx, "svc"); !IsUnauthorized(err) {
		t.Fatalf("skip verify: err = %v, want 401 without a client certificate", err)
	}

	// Trusted CA plus a client certificate.
	certPEM, keyPEM := selfSigned(t)
	cfg = fastConfig(srv.URL)
	cfg.CACertificatePEM = caPEM
	cfg.ClientCertificatePEM, cfg.ClientKeyPEM = certPEM, keyPEM
	if _, err := newTestClient(t, cfg).GetService(ctx, "svc"); err != nil {
		t.Fatalf("mTLS: %v", err)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	certPEM, keyPEM := selfSigned(t)
	tests := map[string]Config{
		"ca_certificate_pem":                {CACertificatePEM: "not a pem"},
		"client_key_pem is not":             {ClientCertificatePEM: certPEM},
		"client_certificate_pem is not":     {ClientKeyPEM: keyPEM},
		"client_certificate_pem/client_key": {ClientCertificatePEM: certPEM, ClientKeyPEM: "garbage"},
	}
	for want, cfg := range tests {
		cfg.AdminURL = "http://kong:8001"
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v", want, err)
		}
	}
}

func TestRequestTimeout(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	cfg := fastConfig(srv.URL)
	cfg.RequestTimeout = 30 * time.Millisecond
	cfg.MaxRetries = 1
	_, err := newTestClient(t, cfg).GetService(context.Background(), "svc")
	if err == nil || !strings.Contains(err.Error(), "no response within 30ms") {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 2 {
		t.Fatalf("calls = %d, want a timed-out attempt to be retried once", calls.Load())
	}
}

// An address without its scheme is the likely mistake
// (KONG_ADMIN_URL=127.0.0.1:8001): say so, with the corrected value.
func TestURLWithoutSchemeSuggestsOne(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8001":        `invalid Admin API URL "127.0.0.1:8001": a URL starts with http:// or https://, e.g. "http://127.0.0.1:8001"`,
		"localhost:8001":        `e.g. "http://localhost:8001"`,
		"kong.internal":         `e.g. "http://kong.internal"`,
		"//kong.internal:8001/": `e.g. "http://kong.internal:8001/"`,
	} {
		_, err := ParseAdminURL(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseAdminURL(%q) = %v, want %s", in, err, want)
		}
	}
	if _, err := ParseHTTPURL("proxy URL", "localhost:8000"); err == nil || !strings.Contains(err.Error(), `invalid proxy URL "localhost:8000": a URL starts with http:// or https://, e.g. "http://localhost:8000"`) {
		t.Errorf("proxy URL: %v", err)
	}
}
