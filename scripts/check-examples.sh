#!/usr/bin/env bash
# terraform fmt -check and terraform validate on every example, against the
# provider built from this tree (dev_overrides), so examples can't rot.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tf=$(scripts/terraform.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/bin/terraform-provider-servicehub" .
"$root/scripts/dev-tfrc.sh" "$work/tfrc" "$work/bin"
export TF_CLI_CONFIG_FILE="$work/tfrc" CHECKPOINT_DISABLE=1

"$tf" fmt -check -recursive -diff examples

n=0
while IFS= read -r dir; do
	d="$work/ex$n"
	mkdir -p "$d"
	cp "$dir"/*.tf "$d/"
	# Snippets without a terraform block get one, so "servicehub" resolves
	# to this provider rather than hashicorp/servicehub.
	if ! grep -q required_providers "$d"/*.tf; then
		printf 'terraform {\n  required_providers {\n    servicehub = { source = "servicehub/servicehub" }\n  }\n}\n' >"$d/zz_versions.tf"
	fi
	if ! out=$("$tf" -chdir="$d" validate -no-color 2>&1); then
		echo "examples: $dir: terraform validate failed:"; echo "$out"; exit 1
	fi
	n=$((n + 1))
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)
echo "examples: $n passed, 0 failed"
