// Command deck is decK's `gateway sync` and `gateway diff` on a Kong
// Gateway's Admin API, built on go-database-reconciler v1.19.0, decK's own
// engine, with the go-kong it requires (v0.63.0): the steps decK's CLI
// takes around it (cmd/common.go's syncMain in Kong/deck), for the
// default workspace, with --select-tag, _info.select_tags and
// _info.default_lookup_tags for services and routes. It exists so that the
// provider's guide "Sharing a runtime group with decK" runs as written in
// `make guides`, and so that its tests (deck_test.go) run decK's engine as
// decK builds it. It is not decK: no Konnect, no other subcommands.
//
//	deck gateway sync [--select-tag TAG]... [--kong-addr URL] FILE...
//	deck gateway diff [--select-tag TAG]... [--kong-addr URL] FILE...
//
// --kong-addr defaults to DECK_KONG_ADDR, then http://localhost:8001, as
// decK's does.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

type tagFlags []string

func (t *tagFlags) String() string     { return strings.Join(*t, ",") }
func (t *tagFlags) Set(v string) error { *t = append(*t, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 || args[0] != "gateway" || (args[1] != "sync" && args[1] != "diff") {
		return errors.New("usage: deck gateway sync|diff [--select-tag TAG]... [--kong-addr URL] FILE [FILE]")
	}
	fs := flag.NewFlagSet("deck gateway "+args[1], flag.ContinueOnError)
	var tags tagFlags
	fs.Var(&tags, "select-tag", "only entities carrying this tag (repeatable)")
	addr := os.Getenv("DECK_KONG_ADDR")
	if addr == "" {
		addr = "http://localhost:8001"
	}
	fs.StringVar(&addr, "kong-addr", addr, "Kong's Admin API")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("no state file given")
	}
	_, err := Sync{Addr: addr, Files: fs.Args(), SelectTags: tags, Dry: args[1] == "diff", Out: os.Stdout}.Run(context.Background())
	return err
}
