#!/usr/bin/env bash
# `make localkong` stops with its make process. For SIGTERM (kill <pid of
# make>: make passes it on to localkong, which it runs with exec) and for
# SIGKILL (make dies at once: localkong's -stop-with-parent notices): start
# it in the background on free ports with LOCALKONG_FLAGS (a demo upstream),
# wait until the Admin API, the proxy and the upstream answer, kill the make
# process (not localkong), and require localkong gone and its ports refusing
# connections within 2 s. Costs one go build of localkong (cached) and
# about two seconds.
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
		LOCALKONG_FLAGS="-upstream-listen 127.0.0.1:0" >"$log" 2>&1 &
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

check TERM
check KILL
