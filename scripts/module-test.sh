#!/usr/bin/env bash
# `terraform test` for every module under examples/modules, against a fresh
# localkong (or, with KONG_ADMIN_URL set, that Kong): the flow the "Testing modules against localkong" guide gives
# module authors, with this tree's provider (dev_overrides) instead of a
# registry release. TERRAFORM may name the binary (tofu works too).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tf=${TERRAFORM:-$(scripts/terraform.sh)}
work=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/bin/terraform-provider-servicehub" .
go build -o "$work/localkong" ./internal/localkong/cmd/localkong
"$root/scripts/dev-tfrc.sh" "$work/tfrc" "$work/bin"
export TF_CLI_CONFIG_FILE="$work/tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

if [ -n "${KONG_ADMIN_URL:-}" ]; then
	# A Kong of your own, as for `make testacc`: KONG_PROXY_URL,
	# KONG_METRICS_URL, KONG_ADMIN_TOKEN and KONG_WORKSPACE go to the
	# provider as they are. The modules' tests use fixed names (payments).
	echo "module-test: against the Kong at KONG_ADMIN_URL=$KONG_ADMIN_URL"
	unset $(compgen -e | grep '^KONNECT_') 2>/dev/null || true
else
	# Hermetic: no KONG_*/KONNECT_* of the caller's reaches the provider.
	unset $(compgen -e | grep -E '^(KONG|KONNECT)_') 2>/dev/null || true
	. "$root/scripts/localkong-lib.sh"
	start_localkong "$work/localkong" "$work/localkong.log"
	pid=$localkong_pid KONG_ADMIN_URL=$localkong_admin KONG_PROXY_URL=$localkong_proxy
	export KONG_ADMIN_URL KONG_PROXY_URL KONG_METRICS_URL="$KONG_ADMIN_URL/metrics"
fi

passed=0 failed=0
for dir in examples/modules/*/; do
	name=$(basename "$dir")
	cp -R "$dir" "$work/$name"
	if out=$("$tf" -chdir="$work/$name" test -no-color 2>&1); then
		passed=$((passed + 1))
		echo "module-test: $name: $(echo "$out" | tail -n 1)"
	else
		failed=$((failed + 1))
		echo "module-test: $name failed:"; echo "$out"
	fi
done
echo "module-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
