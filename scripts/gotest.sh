#!/usr/bin/env bash
# Runs `go test -v` with the given arguments, shows package results and
# failures rather than every line, and ends with one summary line counting
# top-level tests: "<label>: N passed, N failed, N skipped".
set -uo pipefail
label=$1; shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
go test -v "$@" >"$log" 2>&1
rc=$?
# Package verdicts, failures with their output, and panics/build errors.
grep -E '^(ok |FAIL|--- FAIL|panic:|# |.*\.go:[0-9]+:[0-9]+: )|^\s+--- FAIL' "$log" || true
# A timeout's panic names the tests still running: the ones to look at.
grep -A 20 '^panic: test timed out' "$log" | sed -n '/running tests:/,/^$/p' || true
if [ $rc -ne 0 ]; then
	echo "---- failing output (last 200 lines) ----"
	tail -n 200 "$log"
fi
passed=$(grep -c '^--- PASS' "$log")
failed=$(grep -c '^--- FAIL' "$log")
skipped=$(grep -c '^--- SKIP' "$log")
echo "$label: $passed passed, $failed failed, $skipped skipped"
exit $rc
