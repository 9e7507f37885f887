package localkong

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Seed creates entities of one kind ("services", "routes", …) as any
// client of the Admin API would, by POST /{kind} with Kong picking the ids,
// eight at a time, so that a test can fill a runtime group with thousands
// of entities in a second or two. It returns the new entities' ids in the
// order of bodies. The requests are counted like any others. Only for a
// plain-HTTP Kong Admin API (not Konnect, not AdminTLS), default workspace.
func (s *Server) Seed(kind string, bodies ...map[string]any) ([]string, error) {
	if s.opts.Konnect || s.opts.AdminTLS != nil {
		return nil, fmt.Errorf("seed: only a plain-HTTP Kong Admin API is supported")
	}
	ids := make([]string, len(bodies))
	errs := make([]error, len(bodies))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				ids[i], errs[i] = s.post(kind, bodies[i])
			}
		}()
	}
	for i := range bodies {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("seed: %s %d: %w", kind, i, err)
		}
	}
	return ids, nil
}

func (s *Server) post(kind string, body map[string]any) (string, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequest(http.MethodPost, s.AdminURL+"/"+kind, bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.opts.AdminToken != "" {
		req.Header.Set("Kong-Admin-Token", s.opts.AdminToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("HTTP %d: %s", resp.StatusCode, out)
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(out, &created); err != nil || created.ID == "" {
		return "", fmt.Errorf("no id in %s", out)
	}
	return created.ID, nil
}
