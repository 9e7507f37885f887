# Sourced by demo.sh and demo-konnect.sh after cd "$root": what both demos
# share. It sets tf, work (a scratch directory) and upstream_url, selects
# the provider in bin/ through a CLI config of our own, and on exit
# destroys what the demo applied, stops what it started (pids) and says
# how the demo ended. A demo may define after_destroy, run once destroy
# succeeded.
. "$root/scripts/localkong-lib.sh"

tf=$(scripts/terraform.sh)
work=$(mktemp -d)
pids=()
demo_cleanup() {
	local rc=$?
	if [ -f "$work/terraform.tfstate" ]; then
		echo "==> terraform destroy"
		if "$tf" -chdir="$work" destroy -auto-approve -no-color >"$work/destroy.log" 2>&1; then
			echo "    destroyed"
			if declare -F after_destroy >/dev/null; then after_destroy; fi
		else
			echo "    destroy failed:"; cat "$work/destroy.log"; rc=1
		fi
	fi
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
	[ "$rc" -eq 0 ] && echo "==> demo finished" || echo "==> demo FAILED"
	exit "$rc"
}
trap demo_cleanup EXIT INT TERM

"$root/scripts/dev-tfrc.sh" "$work/demo.tfrc" "$root/bin"
export TF_CLI_CONFIG_FILE="$work/demo.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
upstream_url=${DEMO_UPSTREAM_URL:-http://127.0.0.1:9000}

# demo_localkong [FLAG...] builds localkong and starts it on the ports the
# README shows (admin 8001, proxy 8000, demo upstream 9000) with FLAGs,
# setting localkong_admin and localkong_proxy, and shows its log.
demo_localkong() {
	go build -o bin/localkong ./internal/localkong/cmd/localkong
	# Later flags win over the lib's free ports.
	start_localkong bin/localkong "$work/localkong.log" "$@" \
		-admin-listen 127.0.0.1:8001 -proxy-listen 127.0.0.1:8000 -upstream-listen 127.0.0.1:9000
	pids+=("$localkong_pid")
	sed 's/^/    /' "$work/localkong.log"
}
