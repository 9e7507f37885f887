#!/usr/bin/env bash
# Prints the path of a terraform binary >= 1.8: the one on PATH when it is new
# enough, else one built into .tools/bin from the module proxy (v1.8.5 is the
# last release that `go install` accepts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
local_tf="$root/.tools/bin/terraform"

new_enough() {
	local v
	v=$("$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p')
	[ -n "$v" ] || return 1
	local major=${v%%.*} rest=${v#*.}
	local minor=${rest%%.*}
	[ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 8 ]; }
}

if [ -n "${TERRAFORM:-}" ] && new_enough "$TERRAFORM"; then echo "$TERRAFORM"; exit 0; fi
if command -v terraform >/dev/null 2>&1 && new_enough "$(command -v terraform)"; then
	command -v terraform; exit 0
fi
if [ -x "$local_tf" ] && new_enough "$local_tf"; then echo "$local_tf"; exit 0; fi

"$root/scripts/quiet.sh" "terraform >= 1.8 not found on PATH; building v1.8.5 into .tools/bin (a few minutes)" \
	env GOBIN="$root/.tools/bin" go install github.com/hashicorp/terraform@v1.8.5
echo "$local_tf"
