package kongapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"
)

func TestRetriesExhaustedSaySoAndHowMany(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"message":"Service Temporarily Unavailable"}`)
	}))
	defer srv.Close()
	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 2
	c := newTestClient(t, cfg)
	id := NewID()

	_, err := c.PutService(context.Background(), &kong.Service{ID: kong.String(id), Host: kong.String("example.com")})
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 3 || re.MaxRetries != 2 || int(calls.Load()) != re.Attempts {
		t.Fatalf("err = %#v (calls %d), want a RetryError after 3 attempts", err, calls.Load())
	}
	for _, want := range []string{"PUT /services/" + id, "HTTP 503", "Service Temporarily Unavailable", "gave up after 3 attempts; max_retries = 2", "safe and converges"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}
	// A PUT that met 503s may have been applied by an earlier attempt.
	var ue *UnconfirmedError
	if !errors.As(err, &ue) || ue.EntityID() != id || ue.Method != http.MethodPut {
		t.Errorf("err = %v, want UnconfirmedError for %s", err, id)
	}
	var kerr *Error
	if !errors.As(err, &kerr) || kerr.StatusCode != 503 {
		t.Errorf("the Kong error is not reachable: %v", err)
	}

	// A read is never unconfirmed.
	_, err = c.GetService(context.Background(), "svc")
	if !errors.As(err, &re) || errors.As(err, &ue) {
		t.Errorf("GET: err = %v", err)
	}

	cfg.MaxRetries = 0
	_, err = newTestClient(t, cfg).GetService(context.Background(), "svc")
	if err == nil || !strings.Contains(err.Error(), "gave up after 1 attempt; max_retries = 0") {
		t.Errorf("max_retries = 0: %v", err)
	}
}

func TestWriteOutcomes(t *testing.T) {
	drop := func(w http.ResponseWriter, _ *http.Request) { panic(http.ErrAbortHandler) }
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
			_, _ = io.WriteString(w, `{"message":"x"}`)
		}
	}
	tests := []struct {
		name        string
		handler     http.HandlerFunc
		retries     int
		unconfirmed bool
		retried     bool
	}{
		{"dropped connection", drop, 1, true, true},
		{"dropped, no retries", drop, 0, true, true},
		{"500", status(500), 2, true, false},
		{"502 after retries", status(502), 1, true, true},
		{"429 after retries", status(429), 1, true, true},
		{"429 on the only attempt", status(429), 0, false, true},
		{"400", status(400), 2, false, false},
		{"409", status(409), 2, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			cfg := fastConfig(srv.URL)
			cfg.MaxRetries = tt.retries
			_, err := newTestClient(t, cfg).PutRoute(context.Background(), &kong.Route{ID: kong.String(NewID()), Paths: kong.StringSlice("/")})
			var ue *UnconfirmedError
			var re *RetryError
			if got := errors.As(err, &ue); got != tt.unconfirmed {
				t.Errorf("unconfirmed = %v, want %v: %v", got, tt.unconfirmed, err)
			}
			if got := errors.As(err, &re); got != tt.retried {
				t.Errorf("RetryError = %v, want %v: %v", got, tt.retried, err)
			}
		})
	}
}

func TestCancelledWriteIsUnconfirmed(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client leaving.
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := newTestClient(t, fastConfig(srv.URL)).PutService(ctx, &kong.Service{ID: kong.String(NewID()), Host: kong.String("h")})
	var ue *UnconfirmedError
	var re *RetryError
	if !errors.As(err, &ue) || errors.As(err, &re) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an unconfirmed, cancelled write without retry talk", err)
	}
}

func TestUnauthorized(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"message":"Invalid credentials. Token or User credentials required"}`)
	}))
	defer srv.Close()
	tests := []struct {
		name             string
		cfg              func(*Config)
		konnect, sent    bool
		wantInMessage    string
		wantNotInMessage string
	}{
		{"no token", func(*Config) {}, false, false, "no credentials were sent", ""},
		{"admin token", func(c *Config) { c.AdminToken = "wrong-token" }, false, true, "Kong-Admin-Token was rejected", "wrong-token"},
		{"token in headers", func(c *Config) { c.Headers = map[string]string{"kong-admin-token": "h"} }, false, true, "Kong-Admin-Token was rejected", ""},
		{"konnect", func(c *Config) { c.KonnectToken = "kpat_wrong" }, true, true, "Konnect token was rejected", "kpat_wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fastConfig(srv.URL)
			tt.cfg(&cfg)
			_, err := newTestClient(t, cfg).GetService(context.Background(), "svc")
			var ae *AuthError
			if !errors.As(err, &ae) || ae.Konnect != tt.konnect || ae.TokenSent != tt.sent {
				t.Fatalf("err = %#v", err)
			}
			if !IsUnauthorized(err) || !strings.Contains(err.Error(), tt.wantInMessage) || !strings.Contains(err.Error(), "HTTP 401") {
				t.Errorf("message: %s", err)
			}
			if tt.wantNotInMessage != "" && strings.Contains(err.Error(), tt.wantNotInMessage) {
				t.Errorf("the token is in the message: %s", err)
			}
		})
	}
}

func TestTLSErrorsSayWhatToSet(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.WriteString(w, serviceJSON)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 3
	start := time.Now()
	_, err := newTestClient(t, cfg).GetService(context.Background(), "svc")
	var te *TLSError
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &te) || !errors.As(err, &unknown) {
		t.Fatalf("err = %v, want a TLSError over an unknown authority", err)
	}
	for _, want := range []string{"unknown certificate authority", "ca_certificate_pem", "tls_skip_verify"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}
	var re *RetryError
	if errors.As(err, &re) || time.Since(start) > 2*time.Second {
		t.Errorf("a certificate error was retried: %v", err)
	}

	// Trusted now, but the server wants a client certificate.
	cfg.CACertificatePEM = caPEM
	_, err = newTestClient(t, cfg).GetService(context.Background(), "svc")
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "client_certificate_pem and client_key_pem") {
		t.Fatalf("no client certificate: %v", err)
	}
	if errors.As(err, &re) {
		t.Errorf("a refused handshake was retried: %v", err)
	}
	if calls.Load() != 0 {
		t.Errorf("handler reached %d times", calls.Load())
	}
	cfg.ClientCertificatePEM, cfg.ClientKeyPEM = selfSigned(t)
	if _, err := newTestClient(t, cfg).GetService(context.Background(), "svc"); err != nil {
		t.Fatalf("with a client certificate: %v", err)
	}
}

func TestSuccessfulResponsesAreChecked(t *testing.T) {
	tests := []struct {
		name, path, body, want string
		call                   func(*Client) error
	}{
		{"not JSON", "/services/svc", "<html>hello</html>", "the body is not JSON", nil},
		{"truncated", "/services/svc", `{"id":"0b0c3c5e-6d8f-4f4f-9d4e-1a2b3c4d5e6f","name":"sv`, "truncated", nil},
		{"empty", "/services/svc", "", "the body is empty", nil},
		{"array", "/services/svc", `[1,2]`, "expected a JSON object", nil},
		{"wrong field type", "/services/svc", `{"id":"x","port":"80"}`, "unexpected shape", nil},
		{"list of the wrong thing", "/services", `{"data":{"a":1},"next":null}`, "unexpected shape", func(c *Client) error {
			_, err := c.ListServicesByTags(context.Background(), "a")
			return err
		}},
		{"route with bad paths", "/routes/r", `{"id":"x","paths":"/a"}`, "unexpected shape", func(c *Client) error {
			_, err := c.GetRoute(context.Background(), "r")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c := newTestClient(t, fastConfig(srv.URL))
			var err error
			if tt.call != nil {
				err = tt.call(c)
			} else {
				_, err = c.GetService(context.Background(), "svc")
			}
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "admin_url") {
				t.Fatalf("err = %v, want a DecodeError saying %q", err, tt.want)
			}
			if de.StatusCode != 200 || !strings.HasSuffix(de.Path, strings.TrimPrefix(tt.path, "/")) {
				t.Errorf("DecodeError = %+v", de)
			}
		})
	}
}

// FuzzResponseDecoding: whatever a server answers, the client returns a
// value or an error, never panics, and a 2xx body go-kong cannot decode is
// a DecodeError.
func FuzzResponseDecoding(f *testing.F) {
	f.Add(200, serviceJSON)
	f.Add(200, `{"data":[`+serviceJSON+`],"next":null}`)
	f.Add(200, `{"data":[{"id":"r","paths":["/a"],"service":{"id":"s"}}],"next":"/routes?offset=x","offset":"x"}`)
	f.Add(200, `{"data":null}`)
	f.Add(200, `{"id":1}`)
	f.Add(201, `{"name":{"nested":true}}`)
	f.Add(204, ``)
	f.Add(200, `{"data":[{"tags":[null,"a",1]}]`)
	f.Add(301, `moved`)
	f.Add(404, `{"message":"Not found"}`)

	var body atomic.Value
	var status atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(int(status.Load()))
		_, _ = io.WriteString(w, body.Load().(string))
	}))
	f.Cleanup(srv.Close)
	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 0
	c, err := New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, code int, text string) {
		if code < 200 || code > 599 || code == 429 || (code >= 300 && code < 400) {
			// Redirects are followed, rate limits waited for: neither
			// exercises decoding.
			code = 200
		}
		status.Store(int32(code))
		body.Store(text)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("status %d, body %q: took %v", code, text, d)
			}
		}()
		check := func(name string, ok bool, err error) {
			if err == nil && !ok {
				t.Fatalf("%s: no value and no error", name)
			}
			if err != nil && err.Error() == "" {
				t.Fatalf("%s: empty error message", name)
			}
			var de *DecodeError
			if code < 300 && code != 204 && err != nil && !errors.As(err, &de) && !errors.Is(err, errRepeatedOffset) {
				t.Fatalf("%s: status %d, body %q: %v is not a DecodeError", name, code, text, err)
			}
		}
		s, err := c.GetService(ctx, "svc")
		check("GetService", s != nil, err)
		r, err := c.GetRoute(ctx, "r")
		check("GetRoute", r != nil, err)
		ss, err := c.ListServicesByTags(ctx, "t")
		check("ListServicesByTags", ss != nil || err == nil, err)
		rs, err := c.ListRoutesForService(ctx, "svc")
		check("ListRoutesForService", rs != nil || err == nil, err)
		ps, err := c.PutService(ctx, &kong.Service{ID: kong.String(NewID()), Host: kong.String("h")})
		check("PutService", ps != nil, err)
		_ = c.DeleteRoute(ctx, "r")
	})
}
