#!/usr/bin/env bash
# Proves `go install <module>/internal/localkong/cmd/localkong@<version>`
# works from outside this module, as module authors' CI runs it: HEAD is
# served as a module version from a scratch file proxy (dependencies come
# from the local module cache, so it runs offline), installed from an
# unrelated directory, started, and asked for `/`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mod=$(cd "$root" && go list -m)
ver=v0.0.0-installcheck
work=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

at="$work/proxy/$mod/@v"
mkdir -p "$at" "$work/elsewhere" "$work/bin"
# As the module zip a proxy serves: without the directories of nested
# modules (tools/decktest has a go.mod of its own).
nested=$(cd "$root" && git ls-files '*/go.mod' | sed -e 's|/go.mod$||' -e 's|^|:(exclude)|')
# shellcheck disable=SC2086 # one pathspec per nested module
(cd "$root" && git archive --format=zip --prefix="$mod@$ver/" HEAD -- . $nested) >"$at/$ver.zip"
(cd "$root" && git show HEAD:go.mod) >"$at/$ver.mod"
echo "$ver" >"$at/list"
printf '{"Version":"%s","Time":"2026-01-01T00:00:00Z"}\n' "$ver" >"$at/$ver.info"

cache=$(go env GOMODCACHE)
(
	cd "$work/elsewhere"
	GOFLAGS="-modcacherw ${GOFLAGS:-}" GOMODCACHE="$work/modcache" GOBIN="$work/bin" GOWORK=off \
		GOPROXY="file://$work/proxy,file://$cache/cache/download" GONOSUMDB="$mod" GOSUMDB=off \
		go install "$mod/internal/localkong/cmd/localkong@$ver"
) >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }

. "$root/scripts/localkong-lib.sh"
start_localkong "$work/bin/localkong" "$work/log"
pid=$localkong_pid admin=$localkong_admin
root_body=$(curl -fsS "$admin/") || root_body=""
if ! grep -q '"tagline"' <<<"$root_body"; then
	echo "install-check: $admin/ is not a Kong root" >&2
	exit 1
fi
echo "install-check: go install $mod/internal/localkong/cmd/localkong@$ver from another directory: localkong answered $admin/"
