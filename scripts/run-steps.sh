#!/usr/bin/env bash
# run-steps.sh NAME COMMAND [NAME COMMAND]... [:: NAME COMMAND...]...: runs
# each COMMAND (a bash command line) under a "==> NAME" header, every one
# even after a failure, and ends with a table: each step, passed or failed,
# its seconds and the CPU seconds (user + system) of its processes, which
# say more than seconds on a shared machine. Exits 1 when any step failed.
# `make test` lists its steps as one line each: 'name' 'command' \
#
# A lone `::` starts another lane: lanes run at the same time, each one's
# steps in order. With more than one lane, a step's output is held until
# the step ends and then printed whole, so that lanes do not interleave
# lines; the table lists the steps in the order given. Lanes fill the
# cores that a mostly serial step leaves idle (design/testing.md).
set -uo pipefail
if [ $# -eq 0 ]; then
	echo "usage: $0 NAME COMMAND [NAME COMMAND]... [:: NAME COMMAND...]..." >&2
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cpu sets cpu_now to the CPU seconds of this shell's finished children so
# far, from the second line of bash's `times` (user, then system, as
# 1m2.345s). `times` must run in this shell: a $(...) subshell has no
# children of its own. A lane's subshell counts its own steps; the main
# shell, once it has waited for the lanes, counts everything.
cpu() {
	local f="$work/times.$BASHPID"
	times >"$f"
	cpu_now=$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, t, "m"); n += t[1] * 60 + t[2] } printf "%d", n }' "$f")
}

# lane N NAME COMMAND...: runs the lane's steps in order; each row of
# $work/rows is "index<TAB>name<TAB>result<TAB>seconds<TAB>cpu".
buffered=0
lane() {
	local index=$1
	shift
	while [ $# -gt 0 ]; do
		local name=$1 cmd=$2 result=passed out start start_cpu
		shift 2
		cpu
		start=$SECONDS start_cpu=$cpu_now
		if [ "$buffered" -eq 1 ]; then
			out="$work/out.$index"
			bash -eo pipefail -c "$cmd" >"$out" 2>&1 </dev/null || result=failed
			# One step's block at a time on the terminal.
			{
				flock 8
				echo "==> $name"
				cat "$out"
			} 8>"$work/print.lock"
			rm -f "$out"
		else
			echo "==> $name"
			bash -eo pipefail -c "$cmd" || result=failed
		fi
		cpu
		printf '%d\t%s\t%s\t%d\t%d\n' "$index" "$name" "$result" $((SECONDS - start)) $((cpu_now - start_cpu)) >>"$work/rows"
		index=$((index + 1))
	done
}

# The lanes: the runs of arguments between `::`s (a `::` in a COMMAND's
# place is a command). from[i] and count[i] slice lane i out of "$@";
# steps are numbered in the order given.
usage() {
	echo "usage: $0 NAME COMMAND [NAME COMMAND]... [:: NAME COMMAND...]..." >&2
	exit 2
}
from=() count=() start=1
for ((i = 1; i <= $# + 1; i++)); do
	if ((i == $# + 1)) || [[ ${!i} == "::" && $(((i - start) % 2)) -eq 0 ]]; then
		n=$((i - start))
		((n > 0 && n % 2 == 0)) || usage
		from+=("$start") count+=("$n")
		start=$((i + 1))
	fi
done
[ ${#from[@]} -gt 1 ] && buffered=1

: >"$work/rows"
total=$SECONDS
pids=() index=0
for i in "${!from[@]}"; do
	lane "$index" "${@:${from[$i]}:${count[$i]}}" &
	pids+=($!)
	index=$((index + count[i] / 2))
done
for pid in "${pids[@]}"; do wait "$pid"; done

echo
echo "==> summary"
width=5
while IFS=$'\t' read -r _ name _; do [ ${#name} -gt "$width" ] && width=${#name}; done <"$work/rows"
printf "  %-${width}s  %-8s  %7s  %7s\n" step result seconds 'cpu s'
failed=0
while IFS=$'\t' read -r _ name result secs cpus; do
	printf "  %-${width}s  %-8s  %7d  %7d\n" "$name" "$result" "$secs" "$cpus"
	[ "$result" = passed ] || failed=$((failed + 1))
done < <(sort -n -k1,1 "$work/rows")
verdict="passed"
[ "$failed" -gt 0 ] && verdict="$failed failed"
cpu
printf "  %-${width}s  %-8s  %7d  %7d\n" total "$verdict" $((SECONDS - total)) "$cpu_now"
[ "$failed" -eq 0 ]
