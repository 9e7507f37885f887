#!/usr/bin/env bash
# terraform fmt -check and terraform validate on every example, against the
# provider built from this tree (dev_overrides), so examples can't rot; the
# list resources' .tfquery.hcl with Terraform 1.14 (scripts/terraform-1.14.sh).
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
	# Import by identity needs Terraform 1.12: checked with 1.14 below.
	identity=""
	if [ -f "$d/import-by-identity.tf" ]; then
		identity="$work/identity$n.tf"
		mv "$d/import-by-identity.tf" "$identity"
	fi
	if ! out=$("$tf" -chdir="$d" validate -no-color 2>&1); then
		echo "examples: $dir: terraform validate failed:"; echo "$out"; exit 1
	fi
	if [ -n "$identity" ]; then
		# Instead of the import by id: one import block per resource.
		rm -f "$d/import-by-string-id.tf"
		mv "$identity" "$d/import-by-identity.tf"
		if ! out=$("$(scripts/terraform-1.14.sh)" -chdir="$d" validate -no-color 2>&1); then
			echo "examples: $dir: terraform validate (Terraform 1.14) failed:"; echo "$out"; exit 1
		fi
	fi
	n=$((n + 1))
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)

# The list resources' queries (.tfquery.hcl), which only Terraform 1.14
# and later read: terraform validate -query.
tf14=$(scripts/terraform-1.14.sh)
while IFS= read -r dir; do
	d="$work/ex$n"
	mkdir -p "$d"
	cp "$dir"/*.tfquery.hcl "$d/"
	printf 'terraform {\n  required_providers {\n    servicehub = { source = "servicehub/servicehub" }\n  }\n}\n' >"$d/zz_versions.tf"
	if ! out=$("$tf14" -chdir="$d" validate -query -no-color 2>&1); then
		echo "examples: $dir: terraform validate -query failed:"; echo "$out"; exit 1
	fi
	n=$((n + 1))
done < <(find examples -name '*.tfquery.hcl' -exec dirname {} \; | sort -u)
echo "examples: $n passed, 0 failed"
