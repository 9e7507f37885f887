#!/usr/bin/env bash
# Prints the path of an OpenTofu binary: $TOFU, the `tofu` on PATH, or one
# built into .tools/bin from OpenTofu's Go module (a few minutes, once).
# `go install github.com/opentofu/opentofu/cmd/tofu@...` is refused because
# OpenTofu's go.mod has a replace directive, so this builds inside the
# downloaded module, where the directive applies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=v1.10.6
local_tofu="$root/.tools/bin/tofu"

if [ -n "${TOFU:-}" ]; then echo "$TOFU"; exit 0; fi
if command -v tofu >/dev/null 2>&1; then command -v tofu; exit 0; fi
if [ -x "$local_tofu" ]; then echo "$local_tofu"; exit 0; fi

dir=$(cd / && go mod download -json "github.com/opentofu/opentofu@$version" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "go mod download github.com/opentofu/opentofu@$version failed" >&2; exit 1; }
(cd "$dir" && GOFLAGS=-mod=readonly "$root/scripts/quiet.sh" "tofu not found on PATH; building OpenTofu $version into .tools/bin (a few minutes)" \
	go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$local_tofu" ./cmd/tofu)
echo "$local_tofu"
