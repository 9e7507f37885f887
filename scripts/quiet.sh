#!/usr/bin/env bash
# quiet.sh WHAT COMMAND...: runs COMMAND (a tool install or build) with its
# output (hundreds of "go: downloading" lines) kept in a log, says "WHAT"
# and how long it took on stderr, and shows the log only if it failed.
set -uo pipefail
what=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$SECONDS
echo "$what..." >&2
if ! "$@" >"$log" 2>&1; then
	echo "$what failed:" >&2
	cat "$log" >&2
	exit 1
fi
echo "$what: done in $((SECONDS - start)) s" >&2
