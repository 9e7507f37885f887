#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each (go test
# takes one -fuzz target per run). FUZZTIME sets the time per target
# (default 8s). New failing inputs land in the package's testdata/fuzz and
# are replayed by every plain `go test` afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-8s}
# Only committed test files: other people's work in progress stays out.
targets=$(git ls-files '*_test.go' | xargs grep -H -E '^func Fuzz[A-Za-z0-9_]*\(' | sed -E 's/^([^:]*):func (Fuzz[A-Za-z0-9_]*)\(.*/\1 \2/')
if [ -z "$targets" ]; then
	echo "fuzz: no targets"
	exit 0
fi
n=0
while read -r file target; do
	pkg=./$(dirname "$file")
	echo "fuzz: $target in $pkg for $fuzztime"
	out=$(go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg" 2>&1) || {
		echo "$out" | tail -n 40
		echo "fuzz: $target FAILED (the failing input is under $pkg/testdata/fuzz/$target)"
		exit 1
	}
	n=$((n + 1))
done <<<"$targets"
echo "fuzz: $n targets passed"
