#!/usr/bin/env bash
# make demo-konnect: the Service Hub flow on Konnect, end to end, from a
# fresh clone. Starts localkong in Konnect mode (control plane API, API
# Catalog and analytics on :8001, proxy on :8000) and a demo upstream
# (:9000) unless KONG_ADMIN_URL points at a Konnect control plane of your own
# (with KONNECT_TOKEN and KONG_PROXY_URL); applies examples/quickstart-konnect
# (a catalog version, its implementation linked to it, a route), calls the
# route through the proxy, shows the catalog's implementation and the
# version status from analytics, then destroys everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/demo-lib.sh"

# Once destroyed, the catalog no longer has the version the demo made.
after_destroy() {
	if [ -n "${api:-}" ]; then
		printf '    GET %s/v3/apis/%s -> %s\n' "$konnect" "$api" \
			"$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$konnect/v3/apis/$api")"
	fi
}

if [ -z "${KONG_ADMIN_URL:-}" ]; then
	# The control plane localkong's proxy serves (its default, made explicit).
	cp_id=5ca1ab1e-0000-4000-8000-00000000c0de
	export KONNECT_TOKEN=kpat_demo0123456789abcdefghijklmnopqrstuvwxyzABC
	echo "==> starting localkong -konnect (admin 127.0.0.1:8001, proxy 127.0.0.1:8000, upstream 127.0.0.1:9000)"
	demo_localkong -konnect -control-plane-id "$cp_id" -admin-token "$KONNECT_TOKEN"
	export KONG_ADMIN_URL=$localkong_admin/v2/control-planes/$cp_id/core-entities KONG_PROXY_URL=$localkong_proxy
else
	echo "==> using the Konnect control plane at KONG_ADMIN_URL=$KONG_ADMIN_URL"
fi
: "${KONNECT_TOKEN:?KONNECT_TOKEN must be set for a Konnect control plane}"
proxy=${KONG_PROXY_URL:-http://localhost:8000}
# The catalog's base is admin_url's, as the provider derives it.
konnect=${KONNECT_SERVER_URL:-${KONG_ADMIN_URL%%/v2/control-planes/*}}
auth="Authorization: Bearer $KONNECT_TOKEN"
echo "    admin_url   = $KONG_ADMIN_URL"
echo "    konnect_url = $konnect (derived from admin_url)"

cp examples/quickstart-konnect/*.tf "$work/"
echo "==> terraform apply examples/quickstart-konnect"
"$tf" -chdir="$work" apply -auto-approve -no-color -var "upstream_url=$upstream_url" \
	| grep -E 'Creation complete|Apply complete|Error' | sed 's/^/    /'
api=$("$tf" -chdir="$work" output -raw service_version_id)

echo "==> the catalog: GET $konnect/v3/apis/$api"
curl -fsS -H "$auth" "$konnect/v3/apis/$api" \
	| jq -c '{name, version, slug, implementation_mode, spec: .current_version_summary.spec.type}' | sed 's/^/    /'
echo "==> its implementation: GET $konnect/v3/api-implementations?filter[api_id][eq]=$api"
curl -fsS -g -H "$auth" "$konnect/v3/api-implementations?filter[api_id][eq]=$api" \
	| jq -c '.data[] | {api_id, service}' | sed 's/^/    /'

echo "==> calling the route through the proxy"
for path in /foo /foo /foo /missing; do
	code=$(curl -s -o "$work/body" -w '%{http_code}' "$proxy$path")
	body=$(jq -c 'if has("path") then {upstream_saw: "\(.method) \(.path)", via: .headers.via} else . end' "$work/body" 2>/dev/null \
		|| tr -d '\n' <"$work/body" | head -c 100)
	printf '    GET %s%s -> %s %s\n' "$proxy" "$path" "$code" "$body"
done

echo "==> terraform apply (refreshes the version status from Konnect analytics)"
"$tf" -chdir="$work" apply -auto-approve -no-color -var "upstream_url=$upstream_url" >"$work/apply2.log" \
	|| { cat "$work/apply2.log"; exit 1; }
# Analytics unavailable is a warning, not a failure: show any but the
# dev_overrides notice.
grep '^Warning:' "$work/apply2.log" | grep -v 'development overrides' | sed 's/^/    /' || true
echo "==> version status"
"$tf" -chdir="$work" output -no-color | grep -v '^service_version_id' | sed 's/^/    /'
# localkong's analytics counts at once; Konnect's lags behind the calls.
if [ -n "${cp_id:-}" ]; then
	codes=$("$tf" -chdir="$work" output -json status_codes)
	[ "$(jq -r '."200"' <<<"$codes")" = 3 ] || { echo "    expected {\"200\" = 3} from analytics, got $codes"; exit 1; }
fi
