package localkong

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func TestDebugRequestCounts(t *testing.T) {
	s := startServer(t, Options{AdminLatency: 5 * time.Millisecond})
	c := &client{t: t, base: s.AdminURL, header: http.Header{}}
	dbg := httptest.NewServer(s.DebugHandler())
	defer dbg.Close()
	counts := func() (total int64, methods map[string]int64) {
		t.Helper()
		resp, err := http.Get(dbg.URL + "/requests")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Total   int64            `json:"total"`
			Methods map[string]int64 `json:"methods"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return body.Total, body.Methods
	}

	s.ResetRequestCount()
	c.do("PUT", "/services/00000000-0000-4000-8000-000000000001", obj{"host": "example.com"})
	c.do("GET", "/services", nil)
	c.do("GET", "/services/nope", nil)
	c.do("DELETE", "/services/00000000-0000-4000-8000-000000000001", nil)
	want := map[string]int64{"GET": 2, "PUT": 1, "DELETE": 1}
	for i := 0; i < 2; i++ { // reading the counts does not count
		total, methods := counts()
		if total != 4 || !reflect.DeepEqual(methods, want) {
			t.Fatalf("counts = %d %v, want 4 %v", total, methods, want)
		}
	}
	if got := s.RequestCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("RequestCounts = %v", got)
	}

	req, _ := http.NewRequest("DELETE", dbg.URL+"/requests", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE /requests: %d", resp.StatusCode)
	}
	if total, methods := counts(); total != 0 || len(methods) != 0 {
		t.Errorf("after reset: %d %v", total, methods)
	}
	resp, err = http.Post(dbg.URL+"/requests", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /requests: %d", resp.StatusCode)
	}
}
