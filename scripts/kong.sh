#!/usr/bin/env bash
# make kong-up / make kong-down: Kong Gateway and PostgreSQL from
# deploy/kong/compose.yaml (needs Docker with Compose v2). KONG_VERSION
# (default 3.10), KONG_IMAGE (default kong/kong-gateway) and
# KONG_ROUTER_FLAVOR (default traditional_compatible) choose the Kong.
# `up` waits until the Admin API answers and the prometheus plugin is set
# up, then prints the variables for make demo and make testacc.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
compose=(docker compose -f "$root/deploy/kong/compose.yaml")
admin=http://127.0.0.1:8001

case "${1:-}" in
up)
	command -v docker >/dev/null || { echo "kong-up needs Docker (docker compose)" >&2; exit 1; }
	"${compose[@]}" up -d --build
	echo "==> waiting for the Admin API at $admin and the prometheus plugin"
	for _ in $(seq 1 180); do
		if curl -fsS "$admin/plugins/5e1f1c54-3c2b-4f5e-9a4b-7d1c2f0e8a01" >/dev/null 2>&1; then
			curl -fsS "$admin/" | sed -n 's/.*"version":"\([^"]*\)".*/==> Kong \1 is up/p'
			cat <<ENV
export KONG_ADMIN_URL=$admin
export KONG_PROXY_URL=http://127.0.0.1:8000
export KONG_METRICS_URL=$admin/metrics
export KONG_TEST_UPSTREAM_URL=http://upstream:9000
export DEMO_UPSTREAM_URL=http://upstream:9000
ENV
			exit 0
		fi
		sleep 1
	done
	echo "Kong did not come up within 3 minutes:" >&2
	"${compose[@]}" ps -a >&2
	"${compose[@]}" logs --tail 50 >&2
	exit 1
	;;
down)
	"${compose[@]}" down --volumes --remove-orphans
	;;
*)
	echo "usage: $0 up|down" >&2
	exit 2
	;;
esac
