package kongapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// freeAddr is an address nothing listens at: connections are refused.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// countRetries counts the client's "retrying" log entries.
func countRetries(cfg *Config) *atomic.Int32 {
	var n atomic.Int32
	cfg.Log = func(_ context.Context, msg string, _ map[string]any) {
		if strings.HasPrefix(msg, "retrying") {
			n.Add(1)
		}
	}
	return &n
}

// With the production backoff, six attempts at a refused address took
// 15.7 s; the first request of a run must say what is wrong at once.
func TestUnreachableAdminAPIFailsFast(t *testing.T) {
	for name, adminURL := range map[string]string{
		"connection refused": "http://" + freeAddr(t),
		"unknown host":       "http://kong.invalid:8001", // .invalid never resolves (RFC 6761)
	} {
		t.Run(name, func(t *testing.T) {
			var dns *net.DNSError
			if _, err := net.LookupHost("kong.invalid"); name == "unknown host" && !(errors.As(err, &dns) && dns.IsNotFound) {
				t.Skipf("this resolver does not say that kong.invalid does not exist: %v", err)
			}
			cfg := Config{AdminURL: adminURL, MaxRetries: DefaultMaxRetries}
			retries := countRetries(&cfg)
			c := newTestClient(t, cfg)
			start := time.Now()
			_, err := c.GetService(context.Background(), "svc")
			took := time.Since(start)

			var ue *UnreachableError
			if !errors.As(err, &ue) || !IsUnreachable(err) {
				t.Fatalf("err = %#v, want an UnreachableError", err)
			}
			var re *RetryError
			if errors.As(err, &re) {
				t.Errorf("reported as exhausted retries: %v", err)
			}
			for _, want := range []string{"GET " + adminURL + "/services/svc", "admin_url", "KONG_ADMIN_URL", adminURL} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q: %s", want, err)
				}
			}
			if retries.Load() != 0 || took > 3*time.Second {
				t.Errorf("retried %d times, took %s; want no retry, under 3s", retries.Load(), took)
			}
		})
	}
}

// A write that could not connect did not happen: it is not unconfirmed.
func TestUnreachableWriteIsNotUnconfirmed(t *testing.T) {
	c := newTestClient(t, Config{AdminURL: "http://" + freeAddr(t), MaxRetries: DefaultMaxRetries})
	err := c.DeleteService(context.Background(), NewID())
	var ue *UnconfirmedError
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) || errors.As(err, &ue) {
		t.Fatalf("err = %#v", err)
	}
}

// Once the Admin API has answered in a run, a refused connection is a
// restart or a failover: it is retried with the usual budget.
func TestConnectionErrorsAfterAnAnswerAreRetried(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, serviceJSON)
	}))
	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 3
	retries := countRetries(&cfg)
	c := newTestClient(t, cfg)
	if _, err := c.GetService(context.Background(), "svc"); err != nil {
		t.Fatal(err)
	}
	srv.Close() // now refuses connections

	_, err := c.GetService(context.Background(), "svc")
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 4 || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want a RetryError after 4 attempts", err)
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		t.Errorf("reported as never reachable: %v", err)
	}
	if retries.Load() != 3 {
		t.Errorf("retried %d times, want 3", retries.Load())
	}
}

// An error answer counts as an answer too: Kong is there.
func TestAnErrorResponseCountsAsAnswered(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"Not found"}`)
	}))
	c := newTestClient(t, fastConfig(srv.URL))
	if _, err := c.GetService(context.Background(), "svc"); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
	srv.Close()
	_, err := c.GetService(context.Background(), "svc")
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 4 {
		t.Fatalf("err = %v, want retries after the 404 answered", err)
	}
}
