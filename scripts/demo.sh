#!/usr/bin/env bash
# make demo: the Service Hub flow end to end, from a fresh clone.
# Starts localkong (Admin API :8001, proxy :8000) and a demo upstream (:9000)
# unless KONG_ADMIN_URL points at a Kong of your own, applies
# examples/quickstart, calls the route through the proxy four times (its
# rate-limiting plugin allows three a minute: the fourth gets 429), prints
# the version status, then destroys everything and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/demo-lib.sh"

if [ -z "${KONG_ADMIN_URL:-}" ]; then
	echo "==> starting localkong (admin 127.0.0.1:8001, proxy 127.0.0.1:8000, upstream 127.0.0.1:9000)"
	demo_localkong
	export KONG_ADMIN_URL=$localkong_admin KONG_PROXY_URL=$localkong_proxy
	fresh=1 # a Kong that has counted nothing else
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

echo "==> calling the route through the proxy 4 times (rate-limiting: 3 a minute)"
for path in /foo /foo /foo /foo; do
	code=$(curl -s -D "$work/headers" -o "$work/body" -w '%{http_code}' "$proxy$path")
	left=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Xx]-[Rr]ate[Ll]imit-[Rr]emaining-[Mm]inute: //p')
	# The demo upstream echoes the request it received; show what it saw, or
	# what Kong answered instead.
	body=$(jq -c 'if has("path") then {upstream_saw: "\(.method) \(.path)", via: .headers.via} else {message} end' "$work/body" 2>/dev/null \
		|| tr -d '\n' <"$work/body" | head -c 100)
	printf '    GET %s%s -> %s (X-RateLimit-Remaining-Minute: %s) %s\n' "$proxy" "$path" "$code" "${left:-none}" "$body"
done

if grep -q servicehub_version_status examples/quickstart/*.tf; then
	echo "==> terraform apply (refreshes the version status)"
	"$tf" -chdir="$work" apply -auto-approve -no-color -var "upstream_url=$upstream_url" >/dev/null
	echo "==> version status"
	# status_codes on one line: {"200" = 3, "429" = 1}.
	"$tf" -chdir="$work" output -no-color | awk '/^status_codes = /{skip=1; next} skip{if (/^}\)/) skip=0; next} 1' | sed 's/^/    /'
	codes=$("$tf" -chdir="$work" output -json status_codes | jq -r 'to_entries | map("\"\(.key)\" = \(.value)") | "{" + join(", ") + "}"')
	echo "    status_codes = $codes"
	if [ -n "${fresh:-}" ] && [ "$codes" != '{"200" = 3, "429" = 1}' ]; then
		echo "    expected status_codes = {\"200\" = 3, \"429\" = 1}: three calls served, the fourth refused by rate-limiting"
		exit 1
	fi
fi
