#!/usr/bin/env bash
# run-steps.sh NAME COMMAND [NAME COMMAND]...: runs each COMMAND (a bash
# command line) in order under a "==> NAME" header, every one even after a
# failure, and ends with a table: each step, passed or failed, and its
# seconds. Exits 1 when any step failed. `make test` lists its steps as one
# line each: 'name' 'command' \
set -uo pipefail
if [ $(($# % 2)) -ne 0 ] || [ $# -eq 0 ]; then
	echo "usage: $0 NAME COMMAND [NAME COMMAND]..." >&2
	exit 2
fi
names=() results=() secs=()
total=$SECONDS failed=0 width=4
while [ $# -gt 0 ]; do
	name=$1 cmd=$2
	shift 2
	echo "==> $name"
	start=$SECONDS
	if bash -eo pipefail -c "$cmd"; then
		results+=(passed)
	else
		results+=(failed)
		failed=$((failed + 1))
	fi
	names+=("$name")
	secs+=($((SECONDS - start)))
	[ ${#name} -gt "$width" ] && width=${#name}
done

echo
echo "==> summary"
printf "  %-${width}s  %-8s  %7s\n" step result seconds
for i in "${!names[@]}"; do
	printf "  %-${width}s  %-8s  %7d\n" "${names[$i]}" "${results[$i]}" "${secs[$i]}"
done
verdict="passed"
[ "$failed" -gt 0 ] && verdict="$failed failed"
printf "  %-${width}s  %-8s  %7d\n" total "$verdict" $((SECONDS - total))
[ "$failed" -eq 0 ]
