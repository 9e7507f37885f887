#!/usr/bin/env bash
# make deploy-check: offline checks of what runs a real Kong, part of make
# test. actionlint (installed into .tools/bin from the Go module proxy the
# first time, about 20 s) lints .github/workflows; tools/deploy's tests pin
# what deploy/kong/compose.yaml and the workflows must contain. Nothing is
# started: Docker and GitHub are not needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=v1.7.12
bin="$root/.tools/bin/actionlint"
if ! { [ -x "$bin" ] && [ "$("$bin" -version 2>/dev/null | head -n1)" = "$version" ]; }; then
	echo "installing actionlint $version into .tools/bin..." >&2
	GOBIN="$root/.tools/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
"$bin" -color=false
echo "deploy-check: actionlint $version: $(ls .github/workflows/*.yml | wc -l) workflows clean"
go test -count=1 ./tools/deploy/
