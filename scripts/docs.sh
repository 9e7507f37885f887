#!/usr/bin/env bash
# `docs.sh generate` regenerates docs/ with tfplugindocs from the schema
# descriptions, examples/ and templates/; `docs.sh check` does it in a scratch
# copy and fails when the committed docs/ differ. Offline: tfplugindocs finds
# terraform on PATH (Terraform 1.14, ours first) and never downloads one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-generate}
tools="$root/.tools/bin"
if [ ! -x "$tools/tfplugindocs" ]; then
	"$root/scripts/quiet.sh" "installing tfplugindocs into .tools/bin" \
		env GOBIN="$tools" go install github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.24.0
fi
# Terraform 1.14: the schema of the list resources (and the resources'
# identity) only reaches tfplugindocs through it. tfplugindocs runs the
# "terraform" on PATH, so that name is linked to it in a scratch directory.
tf=$("$root/scripts/terraform-1.14.sh")
shim=$(mktemp -d)
trap 'rm -rf "$shim" ${scratch:+"$scratch"}' EXIT
ln -s "$tf" "$shim/terraform"
export PATH="$shim:$PATH" CHECKPOINT_DISABLE=1

run() { (cd "$1" && "$tools/tfplugindocs" generate --provider-name servicehub --rendered-provider-name "Service Hub" >/dev/null); }

case "$mode" in
generate)
	run "$root"
	;;
check)
	scratch=$(mktemp -d)
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
