#!/usr/bin/env bash
# run-steps.sh NAME COMMAND [NAME COMMAND]...: runs each COMMAND (a bash
# command line) in order under a "==> NAME" header, every one even after a
# failure, and ends with a table: each step, passed or failed, its seconds
# and the CPU seconds (user + system) of its processes, which say more than
# seconds on a shared machine. Exits 1 when any step failed. `make test` lists its steps as one
# line each: 'name' 'command' \
set -uo pipefail
if [ $(($# % 2)) -ne 0 ] || [ $# -eq 0 ]; then
	echo "usage: $0 NAME COMMAND [NAME COMMAND]..." >&2
	exit 2
fi
names=() results=() secs=() cpus=()
total=$SECONDS failed=0 width=4
# cpu sets cpu_now to the CPU seconds of this shell's finished children so
# far, from the second line of bash's `times` (user, then system, as
# 1m2.345s). `times` must run in this shell: a $(...) subshell has no
# children of its own.
times_out=$(mktemp)
trap 'rm -f "$times_out"' EXIT
cpu() {
	times >"$times_out"
	cpu_now=$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, t, "m"); n += t[1] * 60 + t[2] } printf "%d", n }' "$times_out")
}
while [ $# -gt 0 ]; do
	name=$1 cmd=$2
	shift 2
	echo "==> $name"
	cpu
	start=$SECONDS start_cpu=$cpu_now
	if bash -eo pipefail -c "$cmd"; then
		results+=(passed)
	else
		results+=(failed)
		failed=$((failed + 1))
	fi
	names+=("$name")
	secs+=($((SECONDS - start)))
	cpu
	cpus+=($((cpu_now - start_cpu)))
	[ ${#name} -gt "$width" ] && width=${#name}
done

echo
echo "==> summary"
printf "  %-${width}s  %-8s  %7s  %7s\n" step result seconds 'cpu s'
for i in "${!names[@]}"; do
	printf "  %-${width}s  %-8s  %7d  %7d\n" "${names[$i]}" "${results[$i]}" "${secs[$i]}" "${cpus[$i]}"
done
verdict="passed"
[ "$failed" -gt 0 ] && verdict="$failed failed"
cpu
printf "  %-${width}s  %-8s  %7d  %7d\n" total "$verdict" $((SECONDS - total)) "$cpu_now"
[ "$failed" -eq 0 ]
