# Sourced by the scripts that need a throwaway localkong.
#
# start_localkong BIN LOG [FLAG...] starts BIN on free ports (plus FLAGs),
# waits until it prints its addresses into LOG, and sets localkong_pid,
# localkong_admin and localkong_proxy. It exits the calling script, showing
# LOG, when localkong dies or does not start within 10 s (stopping it).
start_localkong() {
	local bin=$1 log=$2
	shift 2
	# The log exists before localkong opens it: under load the first read
	# below can come first, and a sed that cannot read it would fail the
	# assignment, which set -e turns into an exit.
	: >"$log"
	"$bin" -admin-listen 127.0.0.1:0 -proxy-listen 127.0.0.1:0 "$@" >>"$log" 2>&1 &
	localkong_pid=$!
	localkong_admin="" localkong_proxy=""
	for _ in $(seq 1 100); do
		localkong_admin=$(sed -n 's/^localkong admin=\([^ ]*\) .*/\1/p' "$log")
		if [ -n "$localkong_admin" ]; then
			localkong_proxy=$(sed -n 's/^localkong .* proxy=\([^ ]*\).*/\1/p' "$log")
			return 0
		fi
		kill -0 "$localkong_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$localkong_pid" 2>/dev/null || true
	echo "localkong did not start:" >&2
	cat "$log" >&2
	exit 1
}
