#!/usr/bin/env bash
# `docs.sh generate` regenerates docs/ with tfplugindocs from the schema
# descriptions, examples/ and templates/; `docs.sh check` does it in a scratch
# copy and fails when the committed docs/ differ. Offline: tfplugindocs finds
# terraform on PATH (ours first) and never downloads one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-generate}
tools="$root/.tools/bin"
if [ ! -x "$tools/tfplugindocs" ]; then
	"$root/scripts/quiet.sh" "installing tfplugindocs into .tools/bin" \
		env GOBIN="$tools" go install github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.24.0
fi
tf=$("$root/scripts/terraform.sh")
export PATH="$(dirname "$tf"):$PATH" CHECKPOINT_DISABLE=1

run() { (cd "$1" && "$tools/tfplugindocs" generate --provider-name servicehub --rendered-provider-name "Service Hub" >/dev/null); }

case "$mode" in
generate)
	run "$root"
	;;
check)
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	(cd "$root" && git ls-files -co --exclude-standard | grep -v '^docs/' | tar -cf - -T -) | tar -xf - -C "$scratch"
	mkdir -p "$scratch/docs"
	run "$scratch"
	if ! diff -ru "$root/docs" "$scratch/docs"; then
		echo "docs/ is stale: run 'make generate' and commit the result" >&2
		exit 1
	fi
	echo "docs: up to date"
	;;
*)
	echo "usage: $0 generate|check" >&2
	exit 2
	;;
esac
