package localkong

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// noReuse never reuses a connection: Go's transport silently resends a GET
// whose reused connection dropped, which would hide the fault.
var noReuse = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// outcome sends one request and sums up what came back: a status, or
// "drop" when the connection closed without a response.
func outcome(t *testing.T, hc *http.Client, method, url, body string) (string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := hc.Do(req)
	if err != nil {
		return "drop", nil
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return fmt.Sprint(res.StatusCode), res
}

func TestFaultsAreDeterministic(t *testing.T) {
	run := func(seed int64) []string {
		s := startServer(t, Options{Faults: &Faults{Rate: 0.3, Seed: seed}})
		var got []string
		for i := 0; i < 60; i++ {
			o, _ := outcome(t, noReuse, "GET", fmt.Sprintf("%s/services?size=%d", s.AdminURL, i%7+1), "")
			got = append(got, o)
		}
		return got
	}
	a, b, c := run(42), run(42), run(43)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if strings.Join(a, ",") == strings.Join(c, ",") {
		t.Errorf("seeds 42 and 43 gave the same faults: %v", a)
	}
	faults := 0
	for _, o := range a {
		if o != "200" {
			faults++
		}
	}
	if faults == 0 || faults == len(a) {
		t.Errorf("%d faults in %d requests at rate 0.3", faults, len(a))
	}
}

func TestFaultsIgnoreInterleaving(t *testing.T) {
	// Each URI's n-th request gets the same fault whatever the order the
	// URIs are interleaved in.
	paths := []string{"/services?size=1", "/routes?size=2", "/status", "/services?size=3"}
	sequential := func(order []int) map[string][]string {
		s := startServer(t, Options{Faults: &Faults{Rate: 0.5, Seed: 7, Kinds: []FaultKind{Fault503, Fault429}}})
		got := map[string][]string{}
		for _, i := range order {
			o, _ := outcome(t, noReuse, "GET", s.AdminURL+paths[i], "")
			got[paths[i]] = append(got[paths[i]], o)
		}
		return got
	}
	var forward, interleaved []int
	for round := 0; round < 10; round++ {
		for i := range paths {
			forward = append(forward, i)
		}
	}
	for i := range paths {
		for round := 0; round < 10; round++ {
			interleaved = append(interleaved, len(paths)-1-i)
		}
	}
	a, b := sequential(forward), sequential(interleaved)
	for _, p := range paths {
		if strings.Join(a[p], ",") != strings.Join(b[p], ",") {
			t.Errorf("%s: %v vs %v", p, a[p], b[p])
		}
	}
}

func TestFaultKinds(t *testing.T) {
	for _, tc := range []struct {
		kind       FaultKind
		retryAfter time.Duration
		want       string
		header     string
		stored     bool
	}{
		{Fault429, 1500 * time.Millisecond, "429", "2", false},
		{Fault429, 0, "429", "0", false},
		{Fault502, time.Second, "502", "", false},
		{Fault503, time.Second, "503", "1", false},
		{FaultDropBefore, 0, "drop", "", false},
		{FaultDropAfter, 0, "drop", "", true},
	} {
		t.Run(fmt.Sprintf("%s_%v", tc.kind, tc.retryAfter), func(t *testing.T) {
			s := startServer(t, Options{Faults: &Faults{Rate: 1, Kinds: []FaultKind{tc.kind}, RetryAfter: tc.retryAfter}})
			id := uuid.NewString()
			got, res := outcome(t, noReuse, "PUT", s.AdminURL+"/services/"+id, `{"name":"svc","host":"example.com"}`)
			if got != tc.want {
				t.Fatalf("PUT = %s, want %s", got, tc.want)
			}
			if res != nil {
				if h := res.Header.Get("Retry-After"); h != tc.header {
					t.Errorf("Retry-After = %q, want %q", h, tc.header)
				}
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Content-Type = %q", ct)
				}
			}
			if n := s.FaultCounts()[tc.kind]; n != 1 {
				t.Errorf("FaultCounts[%s] = %d, want 1", tc.kind, n)
			}
			if err := s.SetFaults(nil); err != nil {
				t.Fatal(err)
			}
			found, _ := outcome(t, noReuse, "GET", s.AdminURL+"/services/"+id, "")
			if stored := found == "200"; stored != tc.stored {
				t.Errorf("after the fault the service exists: %v, want %v", stored, tc.stored)
			}
		})
	}
}

// TestFaultKindsInTurn: with InTurn every kind is injected once before
// any is injected twice, so len(Kinds) faults cover all of them.
func TestFaultKindsInTurn(t *testing.T) {
	kinds := []FaultKind{Fault429, Fault502, Fault503}
	s := startServer(t, Options{Faults: &Faults{Rate: 0.5, Seed: 5, Kinds: kinds, InTurn: true}})
	var faulted int64
	for i := 0; faulted < 7 && i < 200; i++ {
		if o, _ := outcome(t, noReuse, "GET", fmt.Sprintf("%s/services?size=%d", s.AdminURL, i+1), ""); o != "200" {
			faulted++
			counts := s.FaultCounts()
			for j, k := range kinds {
				// After f faults, kind j was given ceil((f-j)/len) times.
				if want := (faulted - int64(j) + int64(len(kinds)) - 1) / int64(len(kinds)); counts[k] != want {
					t.Fatalf("after %d faults: %v, want %s %d times", faulted, counts, k, want)
				}
			}
		}
	}
	if faulted < 7 {
		t.Fatalf("only %d faults in 200 requests at rate 0.5", faulted)
	}
}

func TestFaultRateAndMix(t *testing.T) {
	s := startServer(t, Options{Faults: &Faults{Rate: 0.2, Seed: 3}})
	const n = 1000
	faulted := 0
	for i := 0; i < n; i++ {
		// Distinct URIs: each is a first draw.
		if o, _ := outcome(t, noReuse, "GET", fmt.Sprintf("%s/services?size=%d", s.AdminURL, i%1000+1), ""); o != "200" {
			faulted++
		}
	}
	if faulted < 150 || faulted > 250 {
		t.Errorf("%d of %d requests faulted at rate 0.2", faulted, n)
	}
	counts := s.FaultCounts()
	var total int64
	for _, k := range AllFaults {
		if counts[k] < 20 {
			t.Errorf("only %d %s faults: %v", counts[k], k, counts)
		}
		total += counts[k]
	}
	if total != int64(faulted) {
		t.Errorf("FaultCounts total %d, client saw %d", total, faulted)
	}
}

func TestFaultMaxConsecutive(t *testing.T) {
	s := startServer(t, Options{Faults: &Faults{Rate: 1, Kinds: []FaultKind{Fault503}, MaxConsecutive: 2}})
	var got []string
	for i := 0; i < 6; i++ {
		o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/services", "")
		got = append(got, o)
	}
	if want := "503,503,200,503,503,200"; strings.Join(got, ",") != want {
		t.Errorf("outcomes %v, want %s", got, want)
	}
	// Another URI has its own streak.
	if o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/routes", ""); o != "503" {
		t.Errorf("GET /routes = %s, want 503", o)
	}
}

func TestFaultMethods(t *testing.T) {
	s := startServer(t, Options{Faults: &Faults{Rate: 1, Kinds: []FaultKind{Fault502}, Methods: []string{"put", "DELETE"}}})
	if o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/services", ""); o != "200" {
		t.Errorf("GET = %s, want 200", o)
	}
	if o, _ := outcome(t, noReuse, "DELETE", s.AdminURL+"/services/x", ""); o != "502" {
		t.Errorf("DELETE = %s, want 502", o)
	}
	if o, _ := outcome(t, noReuse, "PUT", s.AdminURL+"/services/"+uuid.NewString(), `{"host":"h"}`); o != "502" {
		t.Errorf("PUT = %s, want 502", o)
	}
	if err := s.SetFaults(&Faults{Rate: 1, Kinds: []FaultKind{Fault502}, Match: func(r *http.Request) bool { return r.URL.Path == "/routes" }}); err != nil {
		t.Fatal(err)
	}
	if o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/services", ""); o != "200" {
		t.Errorf("GET /services = %s, want 200", o)
	}
	if o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/routes", ""); o != "502" {
		t.Errorf("GET /routes = %s, want 502", o)
	}
}

func TestFaultLatencyLosesCommittedWrite(t *testing.T) {
	s := startServer(t, Options{Faults: &Faults{Latency: 2 * time.Second, Seed: 1}})
	impatient := &http.Client{Timeout: 20 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	// The held response is random below 2s; a few tries find one over 20ms.
	var lost string
	for i := 0; i < 5 && lost == ""; i++ {
		id := uuid.NewString()
		if o, _ := outcome(t, impatient, "PUT", s.AdminURL+"/services/"+id, fmt.Sprintf(`{"name":"s%d","host":"example.com"}`, i)); o == "drop" {
			lost = id
		}
	}
	if lost == "" {
		t.Fatal("no response was held past the client's timeout")
	}
	if err := s.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	if o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/services/"+lost, ""); o != "200" {
		t.Errorf("the write whose response was lost is not stored: GET = %s", o)
	}
}

func TestFaultsConcurrent(t *testing.T) {
	s := startServer(t, Options{Faults: &Faults{Rate: 0.3, Seed: 9, Latency: 5 * time.Millisecond}})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				outcome(t, noReuse, "PUT", s.AdminURL+"/services/"+uuid.NewString(), `{"host":"example.com"}`)
				outcome(t, noReuse, "GET", s.AdminURL+"/services", "")
			}
		}()
	}
	wg.Wait()
	var total int64
	for _, n := range s.FaultCounts() {
		total += n
	}
	if total == 0 {
		t.Error("no faults injected")
	}
}

func TestCloseDoesNotWaitForSilentConnections(t *testing.T) {
	s, err := NewTestServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A client that dialled ahead and never sent a request, as Go's
	// transport does after a dropped connection.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.AdminURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v waiting for a connection that never sent a request", d)
	}
}

func TestFaultOptionsValidated(t *testing.T) {
	for _, f := range []*Faults{{Rate: 1.5}, {Rate: -0.1}, {Rate: 0.1, Kinds: []FaultKind{"500"}}, {Latency: -time.Second}} {
		if _, err := NewTestServer(Options{Faults: f}); err == nil {
			t.Errorf("Faults %+v accepted", *f)
		}
	}
	s := startServer(t, Options{})
	if err := s.SetFaults(&Faults{Rate: 2}); err == nil {
		t.Error("SetFaults accepted rate 2")
	}
	if err := s.SetFaults(&Faults{Rate: 1, Kinds: []FaultKind{Fault502}}); err != nil {
		t.Fatal(err)
	}
	if o, _ := outcome(t, noReuse, "GET", s.AdminURL+"/", ""); o != "502" {
		t.Errorf("after SetFaults: %s, want 502", o)
	}
}

func TestParseFaultKinds(t *testing.T) {
	got, err := ParseFaultKinds(" 429, drop-after ")
	if err != nil || len(got) != 2 || got[0] != Fault429 || got[1] != FaultDropAfter {
		t.Errorf("got %v, %v", got, err)
	}
	if all, err := ParseFaultKinds("all"); err != nil || len(all) != len(AllFaults) {
		t.Errorf("all: %v, %v", all, err)
	}
	if _, err := ParseFaultKinds("429,teapot"); err == nil || !strings.Contains(err.Error(), `"teapot"`) {
		t.Errorf("unknown kind: %v", err)
	}
}
