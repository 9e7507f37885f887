#!/usr/bin/env bash
# decktest.sh: the tests of decK beside the provider (tools/decktest), with
# decK's own engine, go-database-reconciler v1.19.0, on the go-kong it
# requires. A module of its own, so that neither moves this module's
# go-kong; its tests build localkong and the provider from this tree and
# run terraform (design/testing.md). Part of `make test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=$("$root/scripts/terraform.sh")
cd "$root/tools/decktest"
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$tf" go test -race -count=1 -timeout 10m ./...
