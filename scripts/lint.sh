#!/usr/bin/env bash
# make lint: golangci-lint v2 with .golangci.yml (gofmt included), on this
# module and on tools/decktest, built into .tools/bin from the module proxy
# the first time (about two minutes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=v2.15.0
bin="$root/.tools/bin/golangci-lint"
if ! { [ -x "$bin" ] && grep -q "version ${version#v} " <<<"$("$bin" version 2>/dev/null)"; }; then
	scripts/quiet.sh "installing golangci-lint $version into .tools/bin" \
		env GOBIN="$root/.tools/bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
fi
"$bin" config verify
"$bin" run ./...
# tools/decktest is a module of its own (decK's engine and its go-kong).
(cd tools/decktest && "$bin" run -c "$root/.golangci.yml" ./...)
