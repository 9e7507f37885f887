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
	# Each failed test's own lines: with -v, go test heads every switch
	# between parallel tests' output with "=== NAME <test>" (or RUN, CONT),
	# so a line belongs to the test last named (a subtest to its parent).
	awk '
		FNR == NR { if ($1 == "---" && $2 == "FAIL:") failed[$3] = 1; next }
		$1 == "===" { cur = $3; sub(/\/.*/, "", cur); if (cur in failed && $2 != "PAUSE") print; next }
		cur in failed && !/^(--- |    --- )(PASS|SKIP)/ { print }
	' "$log" "$log" | tail -n 400 | sed 's/^/  | /'
	echo "---- end of the output (last 60 lines) ----"
	tail -n 60 "$log"
fi
passed=$(grep -c '^--- PASS' "$log")
failed=$(grep -c '^--- FAIL' "$log")
skipped=$(grep -c '^--- SKIP' "$log")
echo "$label: $passed passed, $failed failed, $skipped skipped"
exit $rc
