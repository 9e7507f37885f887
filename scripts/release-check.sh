#!/usr/bin/env bash
# `goreleaser check` on .goreleaser.yml, with goreleaser built into
# .tools/bin from the module proxy the first time (a few minutes). The
# registry's own requirements (zip per os/arch, SHA256SUMS, detached
# signature, manifest, protocol 6.0) are tested by tools/release, which
# `make test` runs with the other Go tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=v2.15.1
bin="$root/.tools/bin/goreleaser"
if ! { [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "GitVersion: *$version$"; }; then
	echo "installing goreleaser $version into .tools/bin..." >&2
	GOBIN="$root/.tools/bin" go install "github.com/goreleaser/goreleaser/v2@$version"
fi
"$bin" check
