#!/usr/bin/env bash
# make testacc-external: the provider's acceptance tests the way a user runs
# them against a Kong of their own (KONG_ADMIN_URL, KONG_PROXY_URL,
# KONG_METRICS_URL), here against a localkong started as a separate
# process. Prints how many tests ran and skipped, each skip's reason, and
# checks through localkong's request counter (-debug-listen) that the
# tests' requests reached that process and not an in-process localkong.
# LOCALKONG_VERSION picks the version localkong plays (default 3.10.0).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tf=${TF_ACC_TERRAFORM_PATH:-$(scripts/terraform.sh)}
work=$(mktemp -d)
localkong_pid=""
cleanup() {
	if [ -n "$localkong_pid" ]; then kill "$localkong_pid" 2>/dev/null || true; wait "$localkong_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# Nothing of the caller's Kong settings may reach the tests.
unset $(compgen -e | grep -E '^(KONG|KONNECT)_') 2>/dev/null || true

go build -o "$work/localkong" ./internal/localkong/cmd/localkong
. "$root/scripts/localkong-lib.sh"
start_localkong "$work/localkong" "$work/localkong.log" -debug-listen 127.0.0.1:0 -kong-version "${LOCALKONG_VERSION:-3.10.0}"
debug=""
for _ in $(seq 1 50); do
	debug=$(sed -n 's/^localkong debug=\(.*\)/\1/p' "$work/localkong.log")
	[ -n "$debug" ] && break
	sleep 0.1
done
[ -n "$debug" ] || { echo "localkong printed no debug address:"; cat "$work/localkong.log"; exit 1; }
requests() { curl -fsS "$debug/requests" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }

export KONG_ADMIN_URL=$localkong_admin KONG_PROXY_URL=$localkong_proxy KONG_METRICS_URL=$localkong_admin/metrics
echo "testacc-external: localkong (pid $localkong_pid, Kong ${LOCALKONG_VERSION:-3.10.0}) at KONG_ADMIN_URL=$KONG_ADMIN_URL KONG_PROXY_URL=$KONG_PROXY_URL"
before=$(requests)

log="$work/test.log"
rc=0
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tf" go test -v -count=1 -timeout "${GO_TEST_TIMEOUT:-15m}" ./internal/provider/... >"$log" 2>&1 || rc=$?
grep -E '^(ok |FAIL|--- FAIL|panic:)|^\s+--- FAIL' "$log" || true
if [ "$rc" -ne 0 ]; then
	echo "---- failing output (last 200 lines) ----"
	tail -n 200 "$log"
fi

# Each skip with its one-line reason (the tests' skip messages name them).
echo "testacc-external: skipped, and why:"
sed -n 's/^[[:space:]]*[a-z_]*\.go:[0-9]*: skipped \(Test[^:]*\): /    \1: /p' "$log" | sort
passed=$(grep -c '^--- PASS' "$log" || true)
failed=$(grep -c '^--- FAIL' "$log" || true)
skipped=$(grep -c '^--- SKIP' "$log" || true)
acc=$(grep -c '^--- PASS: TestAcc' "$log" || true)
reached=$(( $(requests) - before ))
echo "testacc-external: $reached Admin API requests reached the localkong process ($acc acceptance tests passed)"
if [ "$acc" -eq 0 ] || [ "$reached" -lt "$acc" ]; then
	echo "testacc-external: fewer requests than acceptance tests that ran: the tests did not use KONG_ADMIN_URL"
	rc=1
fi
echo "testacc-external: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
