#!/usr/bin/env bash
# `make localkong` serves what the README's local-build steps call, and
# stops with its make process.
#
# Defaults (make -n, nothing bound): the demo upstream on 127.0.0.1:9000,
# examples/quickstart's default upstream_url, so the quickstart answers 200
# through plain `make localkong`; UPSTREAM_LISTEN= serves none.
#
# Stopping, for SIGTERM (kill <pid of make>: make passes it on to
# localkong, which it runs with exec) and for SIGKILL (make dies at once:
# localkong's -stop-with-parent notices): start it in the background on
# free ports (UPSTREAM_LISTEN too), wait until the Admin API, the proxy and
# the upstream answer, kill the make process (not localkong), and require
# localkong gone and its ports refusing connections within 2 s. Costs one
# go build of localkong (cached) and about two seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
make_pid="" kong_pid=""
cleanup() {
	[ -n "$make_pid" ] && kill "$make_pid" 2>/dev/null || true
	[ -n "$kong_pid" ] && kill "$kong_pid" 2>/dev/null || true
	rm -f "$log"
}
trap cleanup EXIT

# exited: the process is gone, or a zombie. After KILL to make, localkong
# is an orphan: it has exited once its parent's reaper collects it, and
# some init processes (this sandbox's PID 1) reap only every ~2 s.
exited() {
	! kill -0 "$1" 2>/dev/null || [[ $(ps -o stat= -p "$1" 2>/dev/null) == Z* ]]
}

check() {
	local sig=$1 admin="" proxy="" upstream=""
	# Not the parent make's jobserver or flags: a make of its own, as a user runs it.
	MAKEFLAGS= MAKELEVEL= make --no-print-directory localkong ADMIN_LISTEN=127.0.0.1:0 PROXY_LISTEN=127.0.0.1:0 \
		UPSTREAM_LISTEN=127.0.0.1:0 >"$log" 2>&1 &
	make_pid=$!
	for _ in $(seq 1 600); do # the build may take a while on a cold cache
		admin=$(sed -n 's/^localkong admin=\([^ ]*\) .*/\1/p' "$log")
		upstream=$(sed -n 's/^localkong upstream=\(.*\)$/\1/p' "$log")
		[ -n "$admin" ] && [ -n "$upstream" ] && break
		kill -0 "$make_pid" 2>/dev/null || { echo "make localkong exited:"; cat "$log"; exit 1; }
		sleep 0.1
	done
	proxy=$(sed -n 's/^localkong .* proxy=\([^ ]*\).*/\1/p' "$log")
	if [ -z "$admin" ] || [ -z "$upstream" ]; then
		echo "make localkong did not print its addresses:"; cat "$log"; exit 1
	fi
	kong_pid=$(pgrep -P "$make_pid" localkong || true)
	if [ -z "$kong_pid" ]; then
		echo "localkong is not make's own child (no exec?):"; ps -o pid,ppid,args --ppid "$make_pid" || true; exit 1
	fi
	for url in "$admin/status" "$proxy/" "$upstream/"; do
		# The proxy answers 404 (no route): any HTTP answer will do.
		curl -s -o /dev/null --max-time 5 "$url" || { echo "nothing answers at $url"; cat "$log"; exit 1; }
	done

	kill -s "$sig" "$make_pid"
	wait "$make_pid" 2>/dev/null || true
	make_pid=""
	for _ in $(seq 1 20); do
		if exited "$kong_pid"; then
			for url in "$admin/status" "$proxy/" "$upstream/"; do
				rc=0
				curl -s -o /dev/null --max-time 1 "$url" || rc=$?
				[ "$rc" -eq 7 ] || { echo "after make got $sig, $url still answers (curl exit $rc)"; exit 1; }
			done
			kong_pid=""
			echo "localkong-make: $sig to make stopped localkong (process gone, admin, proxy and upstream ports refuse connections)"
			return 0
		fi
		sleep 0.1
	done
	echo "localkong (pid $kong_pid) still runs 2 s after make got $sig:"
	ps -o pid,ppid,args -p "$kong_pid" || true
	exit 1
}

defaults() {
	local cmd want
	want=$(sed -n 's/^  default *= "\(http:\/\/[^"]*\)"$/\1/p' examples/quickstart/main.tf)
	[ "$want" = "http://127.0.0.1:9000" ] || { echo "examples/quickstart's default upstream_url is $want, not make localkong's http://127.0.0.1:9000"; exit 1; }
	cmd=$(MAKEFLAGS= MAKELEVEL= make --no-print-directory -n localkong | tail -n 1)
	[[ $cmd == *" -upstream-listen 127.0.0.1:9000 "* ]] || { echo "make localkong serves no upstream on 127.0.0.1:9000: $cmd"; exit 1; }
	cmd=$(MAKEFLAGS= MAKELEVEL= make --no-print-directory -n localkong UPSTREAM_LISTEN= | tail -n 1)
	[[ $cmd != *"-upstream-listen"* ]] || { echo "make localkong UPSTREAM_LISTEN= still serves an upstream: $cmd"; exit 1; }
	echo "localkong-make: the demo upstream is on by default at the quickstart's 127.0.0.1:9000, off with UPSTREAM_LISTEN="
}

defaults
check TERM
check KILL
