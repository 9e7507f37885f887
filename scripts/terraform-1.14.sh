#!/usr/bin/env bash
# Prints the path of a Terraform 1.14 binary, for the tests of list
# resources and resource identity (`terraform query`, import by identity):
# $TERRAFORM_1_14 when set, else .tools/bin/terraform-1.14.2, built once
# from the module proxy (about 4 minutes on 2 cores with an empty Go build
# cache).
#
# `go install github.com/hashicorp/terraform@v1.14.2` is refused (its go.mod
# has replace directives), and building inside the downloaded module fails:
# the module zip lacks the nested modules of the remote-state backends
# (azurerm, consul, cos, gcs, kubernetes, oci, oss, pg, s3) and of
# internal/legacy, which go.mod replaces with directories that are not
# there. So this copies the module into a scratch directory under
# .tools/src, drops those backends from internal/backend/init/init.go and
# their require and replace lines from go.mod, and builds there. The local,
# remote, cloud, http and inmem backends remain; the tests use local.
# The build is unoptimised (-N -l): a third less compile, which dominates
# a cold `make test`, for a binary that runs small configurations. Its
# flags match scripts/goreleaser.sh's, so the two builds share their
# compiled standard library; -trimpath keeps what it compiles from
# depending on where the clone is, so another clone reuses it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=v1.14.2
bin="$root/.tools/bin/terraform-${version#v}"

if [ -n "${TERRAFORM_1_14:-}" ]; then echo "$TERRAFORM_1_14"; exit 0; fi
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

# One build at a time (make test may start it in the background while a
# test run asks for it too): the second caller waits for the first.
mkdir -p "$root/.tools/bin" "$root/.tools/src"
exec 9>"$root/.tools/src/terraform-$version.lock"
flock 9
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

build() {
	local mod src
	mod=$(cd / && go mod download -json "github.com/hashicorp/terraform@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -n "$mod" ] || { echo "go mod download github.com/hashicorp/terraform@$version failed" >&2; return 1; }
	src="$root/.tools/src/terraform-$version"
	rm -rf "$src"
	cp -R "$mod" "$src"
	chmod -R u+w "$src"
	cd "$src"
	# go.mod: the nested modules' require and replace lines.
	sed -i -E '\#github\.com/hashicorp/terraform/internal/(backend/remote-state/[a-z0-9]+|legacy)[[:space:]]#d' go.mod
	# init.go: their imports and their lines in the backends map. http
	# and inmem are in the main module and stay.
	local init=internal/backend/init/init.go gone='Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3'
	sed -i -E "/^[[:space:]]*backend($gone) \"/d; /backend($gone)\.New\(\)/d" "$init"
	if grep -qE "backend($gone)\b" "$init" || grep -q 'internal/backend/remote-state/[a-z0-9]* ' go.mod; then
		echo "terraform-1.14.sh: $version's init.go or go.mod no longer has the expected shape" >&2
		return 1
	fi
	GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -gcflags='all=-N -l -dwarf=false' -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$bin.tmp" .
	mv "$bin.tmp" "$bin"
	cd / && rm -rf "$src"
}
"$root/scripts/quiet.sh" "building Terraform $version into .tools/bin (about 4 minutes, once)" \
	bash -c "$(declare -f build); root='$root' version='$version' bin='$bin'; set -euo pipefail; build"
echo "$bin"
