#!/usr/bin/env bash
# The README's "Use a local build" steps, run as written: the lines between
# the local-build markers of README.md run with bash in a scratch copy of
# this tree, against a fresh localkong (KONG_ADMIN_URL) serving the demo
# upstream, as `make localkong` does, with the terraform the other targets
# use first on PATH and no CLI configuration of ours. Plan, apply and
# destroy must work without terraform init, through the provider just
# built in the copy's bin/, and the route must answer 200. localkong runs
# on free ports: the steps' http://localhost:8000 is pointed at its proxy,
# and TF_VAR_upstream_url at its upstream (make localkong serves them on
# 8000 and 9000, the quickstart's default; scripts/localkong-make-check.sh
# checks those defaults). Costs a go build of the provider and of
# localkong (cached) and three terraform commands: about 20 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

steps() { sed -n '/<!-- local-build:begin/,/<!-- local-build:end/p' "$1" | sed -e '1,/^```sh$/d' -e '/^```$/,$d'; }
readme=$(steps README.md)
if [ -z "$readme" ]; then
	echo "local-build: no steps between the local-build markers of README.md" >&2
	exit 1
fi

work=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/repo"
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$work/repo"

go build -o "$work/localkong" ./internal/localkong/cmd/localkong
. scripts/localkong-lib.sh
start_localkong "$work/localkong" "$work/localkong.log" -upstream-listen 127.0.0.1:0
pid=$localkong_pid
upstream=$(sed -n 's/^localkong upstream=\(.*\)$/\1/p' "$work/localkong.log")
[ -n "$upstream" ] || { echo "local-build: localkong printed no upstream address:" >&2; cat "$work/localkong.log" >&2; exit 1; }

tf=$(scripts/terraform.sh)
echo "$readme" | sed "s|http://localhost:8000|$localkong_proxy|g" >"$work/steps.sh"
# A user's shell: no make of ours around it, no CLI configuration of ours.
(
	cd "$work/repo"
	unset TF_CLI_CONFIG_FILE MAKEFLAGS MAKELEVEL MFLAGS
	export PATH="$(dirname "$tf"):$PATH" KONG_ADMIN_URL="$localkong_admin" KONG_PROXY_URL="$localkong_proxy" CHECKPOINT_DISABLE=1 \
		TF_VAR_upstream_url="$upstream"
	bash -euo pipefail -x "$work/steps.sh"
) >"$work/out.log" 2>&1 || { echo "local-build: the steps failed:" >&2; cat "$work/out.log" >&2; exit 1; }

for want in "Provider development overrides are in effect" "servicehub/servicehub in $work/repo/bin" \
	"Apply complete! Resources: 3 added, 0 changed, 0 destroyed." "HTTP/1.1 200 OK" '"method":"GET","path":"/"' \
	"Destroy complete! Resources: 3 destroyed."; do
	if ! grep -qF "$want" "$work/out.log"; then
		echo "local-build: the output lacks \"$want\":" >&2
		cat "$work/out.log" >&2
		exit 1
	fi
done
if [ -e "$work/repo/examples/quickstart/.terraform" ]; then
	echo "local-build: something ran terraform init" >&2
	exit 1
fi
echo "local-build: the README's steps (make build, make dev-tfrc, plan, apply, a call through the proxy, destroy without init) passed"
