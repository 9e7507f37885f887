package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"sync"

	"github.com/kong/go-database-reconciler/pkg/diff"
	"github.com/kong/go-database-reconciler/pkg/dump"
	"github.com/kong/go-database-reconciler/pkg/file"
	"github.com/kong/go-database-reconciler/pkg/state"
	"github.com/kong/go-database-reconciler/pkg/utils"
	"github.com/kong/go-kong/kong"
)

// Sync is one `deck gateway sync` (or, with Dry, `deck gateway diff`):
// the steps decK's CLI takes around go-database-reconciler, for a Kong
// Gateway (not Konnect) in its default workspace.
type Sync struct {
	// Addr is Kong's Admin API (decK's --kong-addr).
	Addr string
	// Files are the state files (decK's positional arguments).
	Files []string
	// SelectTags are decK's --select-tag flags; the files' _info.select_tags
	// must agree with them when both are given.
	SelectTags []string
	// Dry only reports what a sync would do (`deck gateway diff`).
	Dry bool
	// Out receives decK's report: one line per change and a summary.
	Out io.Writer
}

// Stats counts what a sync did (or, dry, would do).
type Stats struct{ Created, Updated, Deleted int }

// Run reads the files, the Kong version and the current state (the entities
// carrying the select tags, and those the files' default_lookup_tags name),
// renders the target state and lets the reconciler's Syncer make Kong match
// it, as decK does.
func (s Sync) Run(ctx context.Context) (Stats, error) {
	content, err := file.GetContentFromFiles(s.Files, false)
	if err != nil {
		return Stats{}, err
	}
	client, err := utils.GetKongClient(utils.KongClientConfig{Address: s.Addr})
	if err != nil {
		return Stats{}, err
	}
	root, err := client.Root(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("reading Kong version: %w", err)
	}
	v, _ := root["version"].(string)
	version, err := utils.ParseKongVersion(v)
	if err != nil {
		return Stats{}, fmt.Errorf("parsing Kong version: %w", err)
	}
	if version.GTE(utils.Kong300Version) && content.FormatVersion != "3.0" {
		return Stats{}, fmt.Errorf("cannot apply '%s' config format version to Kong version 3.0 or above", content.FormatVersion)
	}

	var cfg dump.Config
	if cfg.SelectorTags, err = selectTags(content, s.SelectTags); err != nil {
		return Stats{}, err
	}
	if err := s.lookups(ctx, client, content, &cfg); err != nil {
		return Stats{}, err
	}
	if version.GTE(utils.Kong340Version) {
		cfg.IsConsumerGroupScopedPluginSupported = true
	}

	raw, err := dump.Get(ctx, client, cfg)
	if err != nil {
		return Stats{}, err
	}
	current, err := state.Get(raw)
	if err != nil {
		return Stats{}, err
	}
	raw, err = file.Get(ctx, content, file.RenderConfig{CurrentState: current, KongVersion: version}, cfg, client)
	if err != nil {
		return Stats{}, err
	}
	target, err := state.Get(raw)
	if err != nil {
		return Stats{}, err
	}

	out := s.Out
	if out == nil {
		out = io.Discard
	}
	// The Syncer reports from its parallel workers.
	var mu sync.Mutex
	line := func(a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(out, a...)
	}
	syncer, err := diff.NewSyncer(diff.SyncerOpts{
		CurrentState:  current,
		TargetState:   target,
		KongClient:    client,
		CreatePrintln: line,
		UpdatePrintln: line,
		DeletePrintln: line,
	})
	if err != nil {
		return Stats{}, err
	}
	stats, errs, _ := syncer.Solve(ctx, 10, s.Dry, false)
	got := Stats{
		Created: int(stats.CreateOps.Count()),
		Updated: int(stats.UpdateOps.Count()),
		Deleted: int(stats.DeleteOps.Count()),
	}
	fmt.Fprintf(out, "Summary:\n  Created: %d\n  Updated: %d\n  Deleted: %d\n", got.Created, got.Updated, got.Deleted)
	if len(errs) > 0 {
		return got, utils.ErrArray{Errors: errs}
	}
	return got, nil
}

// selectTags is decK's rule: the flag's tags and the files' must be the
// same set when both are given.
func selectTags(content *file.Content, flag []string) ([]string, error) {
	var info []string
	if content.Info != nil {
		info = dedup(content.Info.SelectorTags)
	}
	switch {
	case len(info) == 0:
		return flag, nil
	case len(flag) == 0:
		return info, nil
	}
	a, b := append([]string(nil), info...), dedup(flag)
	sort.Strings(a)
	sort.Strings(b)
	if !reflect.DeepEqual(a, b) {
		return nil, fmt.Errorf("tags specified in the state file (%v) and via --select-tag flag (%v) are different", a, b)
	}
	return a, nil
}

// lookups applies the files' _info.default_lookup_tags for services and
// routes as decK does: the entities carrying them are added to the target
// content, so references by name resolve, and are dumped with the current
// state, so the sync does not take them for deletions.
func (s Sync) lookups(ctx context.Context, client *kong.Client, content *file.Content, cfg *dump.Config) error {
	if content.Info == nil || content.Info.LookUpSelectorTags == nil {
		return nil
	}
	l := content.Info.LookUpSelectorTags
	if l.Routes != nil {
		if len(l.Routes) == 0 {
			return errors.New("global routes specified but no global tags")
		}
		cfg.LookUpSelectorTagsRoutes = sorted(l.Routes)
		routes, err := dump.GetAllRoutes(ctx, client, cfg.LookUpSelectorTagsRoutes)
		if err != nil {
			return fmt.Errorf("error retrieving global routes via lookup selector tags: %w", err)
		}
		for _, r := range routes {
			content.Routes = append(content.Routes, file.FRoute{Route: *r})
		}
	}
	if l.Services != nil {
		if len(l.Services) == 0 {
			return errors.New("global services specified but no global tags")
		}
		cfg.LookUpSelectorTagsServices = sorted(l.Services)
		services, err := dump.GetAllServices(ctx, client, cfg.LookUpSelectorTagsServices)
		if err != nil {
			return fmt.Errorf("error retrieving global services via lookup selector tags: %w", err)
		}
		for _, svc := range services {
			content.Services = append(content.Services, file.FService{Service: *svc})
		}
	}
	return nil
}

func dedup(tags []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range tags {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func sorted(tags []string) []string {
	out := dedup(tags)
	sort.Strings(out)
	return out
}
