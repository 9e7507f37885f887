package localkong

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestUpstream(t *testing.T) {
	srv := httptest.NewServer(NewUpstream())
	defer srv.Close()

	cases := []struct {
		path string
		code int
	}{
		{"/foo", 200},
		{"/status/500", 500},
		{"/anything/status/404", 404},
		{"/status/abc", 200},
		{"/status/99", 200},
	}
	for _, tc := range cases {
		resp, err := http.Get(srv.URL + tc.path + "?a=1")
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.code)
		}
		if body["path"] != tc.path || body["query"] != "a=1" || body["method"] != "GET" {
			t.Errorf("%s: echo %v", tc.path, body)
		}
	}
}
