#!/usr/bin/env bash
# guides-check.sh [NAME...]: every guide in docs/guides (or the named ones,
# e.g. verify-an-implementation), run as a reader runs it, against a fresh
# localkong per guide. Part of `make test` (design/testing.md).
#
# Each fenced code block of a generated guide follows a marker comment from
# its template, which the registry does not show:
#   <!-- check: file PATH -->   the block is written to PATH
#   <!-- check: run -->         the block is run with bash, in order
#   <!-- check: skip REASON --> the block is left alone, for REASON
# A block without a marker fails the check: a new guide says what becomes of
# each of its blocks. One guide's blocks become one bash script (set -euo
# pipefail), run in a scratch directory with `yes` answering Terraform's
# prompts and the text's http://localhost:8000 (8001) pointed at localkong's
# proxy (Admin API), which runs on free ports with a demo upstream
# (TF_VAR_upstream_url). `terraform init` works as it will after the first
# release: the provider built from this tree is served from a filesystem
# mirror as registry.terraform.io/servicehub/servicehub at CHANGELOG.md's
# version. Then what the guide says the reader sees is checked (expect_*).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/localkong-lib.sh

tf=$(scripts/terraform.sh)
version=$(sed -n 's/^## \([0-9][0-9.]*\).*/\1/p' CHANGELOG.md | head -n 1)
[ -n "$version" ] || { echo "guides: no version heading in CHANGELOG.md" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
	for f in "$work"/*/pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

platform=$(go env GOOS)_$(go env GOARCH)
mirror=$work/mirror/registry.terraform.io/servicehub/servicehub/$version/$platform
go build -ldflags "-X main.version=$version" -o "$mirror/terraform-provider-servicehub_v$version" .
go build -o "$work/bin/localkong" ./internal/localkong/cmd/localkong
# decK's gateway sync and diff on decK's own engine (tools/decktest, a
# module of its own: go-database-reconciler and the go-kong it requires).
(cd tools/decktest && go build -o "$work/bin/deck" .)
cat >"$work/tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/servicehub/servicehub"]
  }
  direct {
    exclude = ["registry.terraform.io/servicehub/servicehub"]
  }
}
TFRC

# script GUIDE prints the guide's blocks as one bash script, or fails
# naming a block without a marker.
script() {
	awk -v guide="$1" '
		function fail(msg) { printf "guides: %s:%d: %s\n", guide, NR, msg > "/dev/stderr"; bad = 1; exit 1 }
		match($0, /^[ \t]*<!-- check: [^>]*-->[ \t]*$/) {
			marker = $0
			sub(/^[ \t]*<!-- check: /, "", marker); sub(/[ \t]*-->[ \t]*$/, "", marker)
			if (marker !~ /^(file [^ ]+|run|skip .+)$/) fail("bad marker \"" marker "\"")
			next
		}
		!inblock && /^[ \t]*```/ {
			if (marker == "") fail("a code block without a <!-- check: file PATH | run | skip REASON --> marker")
			inblock = 1; indent = $0; sub(/```.*/, "", indent)
			if (marker ~ /^file /) {
				path = substr(marker, 6)
				printf "mkdir -p \"$(dirname %s)\"\ncat >%s <<'"'"'GUIDE_EOF'"'"'\n", path, path
			}
			next
		}
		inblock && /^[ \t]*```[ \t]*$/ {
			if (marker ~ /^file /) print "GUIDE_EOF"
			inblock = 0; marker = ""; blocks++
			next
		}
		inblock {
			line = $0
			if (substr(line, 1, length(indent)) == indent) line = substr(line, length(indent) + 1)
			if (marker !~ /^skip /) print line
			next
		}
		/^[ \t]*$/ { next }
		{ if (marker != "") fail("marker \"" marker "\" is not followed by a code block") }
		END { if (!bad && inblock) fail("unclosed code block") }
	' "docs/guides/$1.md"
}

# What a guide needs before it runs (setup_*; one that sets tf_dir runs
# the guide with the terraform found there), and what its reader is told
# they will see (expect_*: strings its output must contain).
setup_service_hub_on_konnect() {
	start_localkong "$work/bin/localkong" "$1/localkong.log" -upstream-listen 127.0.0.1:0 -konnect -admin-token "$konnect_token"
	KONG_ADMIN_URL=$localkong_admin/v2/control-planes/5ca1ab1e-0000-4000-8000-00000000c0de/core-entities
	export KONNECT_TOKEN=$konnect_token
}
expect_service_hub_on_konnect=('Apply complete! Resources: 3 added' 'HTTP/1.1 200 OK' 'konnect_analytics' '"200" = 1' 'Destroy complete! Resources: 3 destroyed.')

setup_migrating_from_terraform_provider_kong() {
	default_setup "$1"
	# What kong_service and kong_route left behind: untagged by this provider.
	local admin=$localkong_admin
	curl -fsS -o /dev/null "$admin/services" -H 'Content-Type: application/json' \
		-d '{"name":"payments-v1","url":"http://payments.internal:8080","tags":["team:payments"]}'
	curl -fsS -o /dev/null "$admin/services/payments-v1/routes" -H 'Content-Type: application/json' \
		-d '{"name":"payments","paths":["/payments"]}'
}
expect_migrating_from_terraform_provider_kong=('Plan: 2 to import, 0 to add, 1 to change, 0 to destroy.'
	'Apply complete! Resources: 2 imported, 0 added, 1 changed, 0 destroyed.' 'No changes.')

setup_adopt_existing_implementations() {
	default_setup "$1"
	# terraform query needs Terraform 1.14: it runs this guide.
	mkdir -p "$1/tf"
	ln -s "$("$root/scripts/terraform-1.14.sh")" "$1/tf/terraform"
	tf_dir=$1/tf
	# What the Konnect UI, decK or the Admin API made: two implementations
	# of orders (tagged), a route of one, and an untagged Gateway Service
	# with a route, which is not listed.
	local admin=$localkong_admin
	curl -fsS -o /dev/null "$admin/services" -H 'Content-Type: application/json' \
		-d '{"name":"orders-v1","host":"orders-v1.internal","tags":["servicehub:service=orders","servicehub:version=v1"]}'
	curl -fsS -o /dev/null "$admin/services" -H 'Content-Type: application/json' \
		-d '{"name":"orders-v2","url":"https://orders.internal:8443/api","tags":["servicehub:service=orders","servicehub:version=v2","team-a"]}'
	curl -fsS -o /dev/null "$admin/services/orders-v2/routes" -H 'Content-Type: application/json' \
		-d '{"name":"orders","paths":["/orders"]}'
	curl -fsS -o /dev/null "$admin/services" -H 'Content-Type: application/json' -d '{"name":"legacy","host":"legacy.internal"}'
	curl -fsS -o /dev/null "$admin/services/legacy/routes" -H 'Content-Type: application/json' -d '{"name":"legacy","paths":["/legacy"]}'
}
expect_adopt_existing_implementations=('orders-v1 (orders v1)' 'orders-v2 (orders v2)' 'orders (route of orders-v2)'
	'Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.' 'Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed.'
	'No changes.')

expect_verify_an_implementation=('HTTP/1.1 200 OK' 'X-RateLimit-Remaining-Minute: 2' '"200" = 1' 'Destroy complete! Resources: 3 destroyed.'
	'Apply complete! Resources: 3 added' '{"200":1}')

expect_testing_modules_against_localkong=('Success! 3 passed, 0 failed.')

expect_plugins_without_perpetual_diffs=('No changes.' '- fault_tolerant = false' 'Plan: 0 to add, 1 to change, 0 to destroy.'
	'Apply complete! Resources: 0 added, 1 changed, 0 destroyed.' '"fault_tolerant":true')

setup_sharing_a_runtime_group_with_deck() {
	default_setup "$1"
	export DECK_KONG_ADDR=$localkong_admin
}
expect_sharing_a_runtime_group_with_deck=('Apply complete! Resources: 2 added' 'Created: 4' 'No changes.'
	'Unable to delete route: others' 'refused, as expected' 'Deleted: 2' 'Destroy complete! Resources: 2 destroyed.')

# expectations NAME prints expect_NAME's strings, one a line.
expectations() {
	declare -p "expect_$1" >/dev/null 2>&1 || return 0
	local -n want="expect_$1"
	printf '%s\n' "${want[@]}"
}

default_setup() {
	start_localkong "$work/bin/localkong" "$1/localkong.log" -upstream-listen 127.0.0.1:0
}

konnect_token=kpat_guides0123456789abcdefghijklmnopqrstuvwxyzABCD
guides=("$@")
if [ ${#guides[@]} -eq 0 ]; then
	for f in docs/guides/*.md; do guides+=("$(basename "$f" .md)"); done
fi
passed=0 failed=0
for g in "${guides[@]}"; do
	dir=$work/$g
	mkdir -p "$dir/run"
	if ! script "$g" >"$dir/script.sh"; then
		failed=$((failed + 1))
		continue
	fi
	fn=${g//-/_}
	rc=0
	(
		unset $(compgen -e | grep -E '^(KONG|KONNECT|TF)_') MAKEFLAGS MAKELEVEL MFLAGS 2>/dev/null || true
		if declare -F "setup_$fn" >/dev/null; then "setup_$fn" "$dir"; else default_setup "$dir"; fi
		echo "$localkong_pid" >"$dir/pid"
		upstream=$(sed -n 's/^localkong upstream=\(.*\)$/\1/p' "$dir/localkong.log")
		sed -i -e "s|http://localhost:8000|$localkong_proxy|g" -e "s|http://localhost:8001|$localkong_admin|g" "$dir/script.sh"
		export KONG_ADMIN_URL=${KONG_ADMIN_URL:-$localkong_admin} KONG_PROXY_URL=$localkong_proxy TF_VAR_upstream_url=$upstream \
			TF_CLI_CONFIG_FILE=$work/tfrc CHECKPOINT_DISABLE=1 PATH="${tf_dir:-$(dirname "$tf")}:$work/bin:$PATH"
		cd "$dir/run"
		bash -euo pipefail -x "$dir/script.sh" < <(yes yes)
	) >"$dir/out.log" 2>&1 || rc=$?
	if [ -s "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
	sed 's/\x1b\[[0-9;]*m//g' "$dir/out.log" >"$dir/out.txt" # without Terraform's colours
	missing=()
	while IFS= read -r want; do
		grep -qF -- "$want" "$dir/out.txt" || missing+=("$want")
	done < <(expectations "$fn")
	if [ "$rc" -ne 0 ] || [ ${#missing[@]} -gt 0 ]; then
		failed=$((failed + 1))
		echo "guides: $g failed (exit $rc${missing:+, missing: ${missing[*]}}):"
		sed 's/^/    /' "$dir/out.txt"
	else
		passed=$((passed + 1))
		echo "guides: $g: $(grep -c '^+' "$dir/out.txt") commands run as written"
	fi
done
echo "guides: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
