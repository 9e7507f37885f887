#!/usr/bin/env bash
# make demo: the Service Hub flow end to end, from a fresh clone.
# Starts localkong (Admin API :8001, proxy :8000) and a demo upstream (:9000)
# unless KONG_ADMIN_URL points at a Kong of your own, applies
# examples/quickstart, calls the route through the proxy, prints the version
# status, then destroys everything and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/demo-lib.sh"

if [ -z "${KONG_ADMIN_URL:-}" ]; then
	echo "==> starting localkong (admin 127.0.0.1:8001, proxy 127.0.0.1:8000, upstream 127.0.0.1:9000)"
	demo_localkong
	export KONG_ADMIN_URL=$localkong_admin KONG_PROXY_URL=$localkong_proxy
else
	echo "==> using the Kong at KONG_ADMIN_URL=$KONG_ADMIN_URL"
fi
proxy=${KONG_PROXY_URL:-http://localhost:8000}

echo "==> GET $KONG_ADMIN_URL/"
curl -fsS "$KONG_ADMIN_URL/" | jq -c '{version, edition, database: .configuration.database, router_flavor: .configuration.router_flavor}' 2>/dev/null \
	|| curl -fsS "$KONG_ADMIN_URL/" | head -c 300; echo

cp examples/quickstart/*.tf "$work/"
echo "==> terraform apply examples/quickstart"
"$tf" -chdir="$work" apply -auto-approve -no-color -var "upstream_url=$upstream_url" | sed 's/^/    /'

echo "==> calling the route through the proxy"
for path in /foo /foo /foo /missing; do
	code=$(curl -s -o "$work/body" -w '%{http_code}' "$proxy$path")
	# The demo upstream echoes the request it received; show what it saw.
	body=$(jq -c 'if has("path") then {upstream_saw: "\(.method) \(.path)", via: .headers.via} else . end' "$work/body" 2>/dev/null \
		|| tr -d '\n' <"$work/body" | head -c 100)
	printf '    GET %s%s -> %s %s\n' "$proxy" "$path" "$code" "$body"
done

if grep -q servicehub_version_status examples/quickstart/*.tf; then
	echo "==> terraform apply (refreshes the version status)"
	"$tf" -chdir="$work" apply -auto-approve -no-color -var "upstream_url=$upstream_url" >/dev/null
	echo "==> version status"
	"$tf" -chdir="$work" output -no-color | sed 's/^/    /'
fi
