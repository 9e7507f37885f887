#!/usr/bin/env bash
# The README's "Use a local build" steps, run as written: the lines between
# the local-build markers of README.md (which must equal those of
# templates/index.md.tmpl, the registry's copy) run with bash in a scratch
# copy of this tree, against a fresh localkong (KONG_ADMIN_URL), with the
# terraform the other targets use first on PATH and no CLI configuration of
# ours. Plan, apply and destroy must work without terraform init, through the
# provider just built in the copy's bin/. Costs a go build of the provider and
# of localkong (cached) and three terraform commands: about 20 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

steps() { sed -n '/<!-- local-build:begin/,/<!-- local-build:end/p' "$1" | sed -e '1,/^```sh$/d' -e '/^```$/,$d'; }
readme=$(steps README.md)
index=$(steps templates/index.md.tmpl)
if [ -z "$readme" ]; then
	echo "local-build: no steps between the local-build markers of README.md" >&2
	exit 1
fi
if [ "$readme" != "$index" ]; then
	echo "local-build: the steps in README.md and templates/index.md.tmpl differ:" >&2
	diff <(echo "$readme") <(echo "$index") >&2 || true
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
start_localkong "$work/localkong" "$work/localkong.log"
pid=$localkong_pid

tf=$(scripts/terraform.sh)
echo "$readme" >"$work/steps.sh"
# A user's shell: no make of ours around it, no CLI configuration of ours.
(
	cd "$work/repo"
	unset TF_CLI_CONFIG_FILE MAKEFLAGS MAKELEVEL MFLAGS
	export PATH="$(dirname "$tf"):$PATH" KONG_ADMIN_URL="$localkong_admin" KONG_PROXY_URL="$localkong_proxy" CHECKPOINT_DISABLE=1
	bash -euo pipefail -x "$work/steps.sh"
) >"$work/out.log" 2>&1 || { echo "local-build: the steps failed:" >&2; cat "$work/out.log" >&2; exit 1; }

for want in "Provider development overrides are in effect" "servicehub/servicehub in $work/repo/bin" \
	"Apply complete! Resources: 2 added, 0 changed, 0 destroyed." "Destroy complete! Resources: 2 destroyed."; do
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
echo "local-build: the README's steps (make build, make dev-tfrc, plan, apply, destroy without init) passed"
