#!/usr/bin/env bash
# dev-tfrc.sh FILE DIR writes a Terraform CLI configuration to FILE that
# takes servicehub/servicehub from DIR (dev_overrides: no terraform init,
# no registry) and every other provider from its registry as usual.
# make dev-tfrc and the scripts that run terraform on this tree's build
# all use it.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 FILE PROVIDER_DIR" >&2; exit 2; }
cat >"$1" <<TFRC
provider_installation {
  dev_overrides {
    "servicehub/servicehub" = "$2"
  }
  direct {}
}
TFRC
