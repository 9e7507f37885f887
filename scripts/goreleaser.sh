#!/usr/bin/env bash
# goreleaser.sh: prints the path of goreleaser v2.15.1, building it into
# .tools/bin from the module proxy the first time (it has no other way onto
# this machine: the npm package downloads from GitHub). A lock lets
# `make test` start the build in the background while its first steps run
# and release-check wait for it. The build is unoptimised (-N -l): it runs
# twice per `make test`, and its compile is the single largest part of a
# cold run (design/testing.md). Its compile flags match
# scripts/terraform-1.14.sh's, so the two share the standard library;
# -s -w: no symbol table or DWARF to link.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=v2.15.1
bin="$root/.tools/bin/goreleaser"

have() { [ -x "$bin" ] && grep -q "GitVersion: *$version\$" <<<"$("$bin" --version 2>/dev/null)"; }
if have; then echo "$bin"; exit 0; fi
mkdir -p "$root/.tools/bin" "$root/.tools/src"
exec 9>"$root/.tools/src/goreleaser-$version.lock"
flock 9
if have; then echo "$bin"; exit 0; fi
"$root/scripts/quiet.sh" "building goreleaser $version into .tools/bin (about 3 minutes, once)" \
	env GOBIN="$root/.tools/bin" go install -trimpath -gcflags='all=-N -l -dwarf=false' -ldflags='-s -w' "github.com/goreleaser/goreleaser/v2@$version"
echo "$bin"
