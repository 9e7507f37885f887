#!/usr/bin/env bash
# make bench: Admin API requests, wall time, and the provider's CPU time and
# peak memory for each phase of a configuration of N implementations with
# one route each, applied with the real terraform against localkong:
#   create      terraform apply      (from nothing)
#   no-op plan  terraform plan       (refresh only; must plan no changes)
#   one change  terraform apply      (one route's paths changed; refresh included)
#   destroy     terraform destroy    (refresh included)
# Then a small configuration (one implementation, one route) in a large
# runtime group: BENCH_BIG other services, each with a route.
# localkong counts the requests (-debug-listen); the script checks the
# targets of the performance issues and exits non-zero when one is missed.
#
#   BENCH_CASES="100@0s 500@20ms"  BENCH_BIG=20000  scripts/bench.sh
#   BENCH_SIZES="100 500"  BENCH_LATENCIES="0s 20ms"  (every size at every latency)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/localkong-lib.sh"

# N@latency pairs: 100 and 500 with and without a remote control plane's
# latency, and 2000 (4000 resources) for scale.
cases=${BENCH_CASES:-}
if [ -z "$cases" ] && { [ -n "${BENCH_SIZES:-}" ] || [ -n "${BENCH_LATENCIES:-}" ]; }; then
	for lat in ${BENCH_LATENCIES:-0s 20ms}; do
		for n in ${BENCH_SIZES:-100 500}; do cases+="$n@$lat "; done
	done
fi
cases=${cases:-100@0s 500@0s 2000@0s 100@20ms 500@20ms}
big=${BENCH_BIG:-20000}
big_latency=${BENCH_BIG_LATENCY:-20ms}
command -v jq >/dev/null || { echo "bench: jq is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench: curl is required" >&2; exit 1; }

tf=$(scripts/terraform.sh)
work=$(mktemp -d)
kong_pid=
cleanup() {
	if [ -n "$kong_pid" ]; then
		kill "$kong_pid" 2>/dev/null || true
		wait "$kong_pid" 2>/dev/null || true
	fi
	[ -n "${BENCH_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "==> building the provider and localkong"
go build -trimpath -o "$work/provider" .
go build -trimpath -o "$work/localkong" ./internal/localkong/cmd/localkong
# Terraform runs the provider through tools/benchwrap, installed under the
# provider's name: it runs the real binary and records the CPU time and
# peak RSS of each provider process. Wall time on a busy machine is mostly
# Terraform's own, and noisy; the provider's CPU time is neither.
mkdir -p "$work/bin"
go build -trimpath -o "$work/bin/terraform-provider-servicehub" ./tools/benchwrap
export BENCH_PROVIDER="$work/provider" BENCH_CPU_LOG="$work/provider-cpu.log"

"$root/scripts/dev-tfrc.sh" "$work/bench.tfrc" "$work/bin"
export TF_CLI_CONFIG_FILE="$work/bench.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# As a user runs it: no log asked for. (Every TF_LOG* variable counts.)
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^TF_LOG' || true)

# config N DIR: N implementations, one route each; var.changed moves route 0.
config() {
	cat >"$2/main.tf" <<HCL
terraform {
  required_providers {
    servicehub = { source = "servicehub/servicehub" }
  }
}

variable "admin_url" { type = string }
variable "changed" {
  type    = bool
  default = false
}

provider "servicehub" {
  admin_url = var.admin_url
}

resource "servicehub_implementation" "bench" {
  count   = $1
  service = "bench"
  version = "v\${count.index}"
  name    = "bench-v\${count.index}"
  url     = "http://bench-\${count.index}.internal:8080/api"
}

resource "servicehub_route" "bench" {
  count             = $1
  implementation_id = servicehub_implementation.bench[count.index].id
  name              = "bench-\${count.index}"
  methods           = ["GET"]
  paths             = [var.changed && count.index == 0 ? "/changed" : "/bench/\${count.index}"]
}
HCL
}

# start_kong LATENCY [FLAG...]
start_kong() {
	local lat=$1
	shift
	start_localkong "$work/localkong" "$work/localkong.log" -debug-listen 127.0.0.1:0 -admin-latency "$lat" "$@"
	kong_pid=$localkong_pid admin=$localkong_admin
	# The debug address is printed after the admin one.
	for _ in $(seq 1 100); do
		debug=$(sed -n 's/^localkong debug=\(.*\)/\1/p' "$work/localkong.log")
		[ -n "$debug" ] && return 0
		sleep 0.1
	done
	cat "$work/localkong.log" >&2
	exit 1
}

stop_kong() {
	kill "$kong_pid" 2>/dev/null || true
	wait "$kong_pid" 2>/dev/null || true
	kong_pid=
}

now() { date +%s.%N; }

# cpu_ticks PID: user+system CPU of a running process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# The provider processes of a phase, from benchwrap's lines
# "<user s> <system s> <peak RSS KiB> <wall s>": CPU seconds summed, the
# largest peak RSS in MiB, and how many processes Terraform started.
provider_cpu() { awk '{ s += $1 + $2 } END { printf "%.2f", s }' "$BENCH_CPU_LOG"; }
provider_rss() { awk '$3 > m { m = $3 } END { printf "%.0f", m / 1024 }' "$BENCH_CPU_LOG"; }
provider_procs() { wc -l <"$BENCH_CPU_LOG" | tr -d ' '; }

failures=()
warnings=()
rows=()
declare -A total secs pcpus

# phase NAME REQUESTS-TARGET CPU-TARGET N LATENCY DIR -- terraform args...
# CPU-TARGET is "-" when the phase has none.
phase() {
	local name=$1 target=$2 cpu_target=$3 n=$4 lat=$5 dir=$6
	shift 7
	curl -fsS -X DELETE "$debug/requests" >/dev/null
	: >"$BENCH_CPU_LOG"
	local t0 t1 k0 k1 rc=0
	k0=$(cpu_ticks "$kong_pid")
	t0=$(now)
	"$tf" -chdir="$dir" "$@" -no-color -input=false -var "admin_url=$admin" >"$dir/$name.log" 2>&1 || rc=$?
	t1=$(now)
	k1=$(cpu_ticks "$kong_pid")
	local pcpu prss procs kcpu
	pcpu=$(provider_cpu) prss=$(provider_rss) procs=$(provider_procs)
	kcpu=$(awk -v a="$k0" -v b="$k1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
	local counts
	counts=$(curl -fsS "$debug/requests")
	local req get put post del wall
	req=$(jq -r '.total' <<<"$counts")
	get=$(jq -r '.methods.GET // 0' <<<"$counts")
	put=$(jq -r '.methods.PUT // 0' <<<"$counts")
	post=$(jq -r '.methods.POST // 0' <<<"$counts")
	del=$(jq -r '.methods.DELETE // 0' <<<"$counts")
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	total[$name,$n,$lat]=$req
	secs[$name,$n,$lat]=$wall
	pcpus[$name,$n,$lat]=$pcpu
	local ok=yes
	# plan -detailed-exitcode: 0 is "no changes", 2 would be a diff.
	if [ "$rc" -ne 0 ]; then
		ok="NO (exit $rc)"
		sed 's/^/    /' "$dir/$name.log" | tail -n 20 >&2
	elif [ "$req" -gt "$target" ]; then
		ok=NO
	elif [ "$name" = one-change ] && [ $((put + post)) -ne 1 ]; then
		ok="NO ($((put + post)) writes, want 1)"
	elif [ "$cpu_target" != - ] && awk -v c="$pcpu" -v t="$cpu_target" 'BEGIN { exit !(c > t) }'; then
		ok="NO (CPU)"
	fi
	[ "$ok" = yes ] || failures+=("N=$n latency=$lat $name: $req requests (target <= $target), provider CPU ${pcpu}s (target $cpu_target), $ok")
	local ct="–"
	[ "$cpu_target" = - ] || ct="≤ $cpu_target s"
	rows+=("| $n | $lat | $name | $req | $get | $put | $post | $del | ≤ $target | $ok | $wall s | $pcpu s | $ct | $prss MiB | $procs | $kcpu s |")
	printf '    %-10s %5d requests (GET %d, PUT %d, POST %d, DELETE %d; target <= %d) %s; %ss, provider CPU %ss (%s processes, peak RSS %s MiB), localkong CPU %ss\n' \
		"$name" "$req" "$get" "$put" "$post" "$del" "$target" "$ok" "$wall" "$pcpu" "$procs" "$prss" "$kcpu"
}

# The provider CPU targets of the performance issue, for N = 500 at 20 ms.
cpu_target() {
	if [ "$2" = 500 ] && [ "$3" = 20ms ]; then
		case $1 in create) echo 7 ;; no-op-plan) echo 3.5 ;; destroy) echo 6 ;; *) echo - ;; esac
	else
		echo -
	fi
}

for c in $cases; do
	n=${c%@*} lat=${c#*@}
	echo "==> N=$n implementations + $n routes, Admin API latency $lat"
	start_kong "$lat"
	dir="$work/n$n-$lat"
	mkdir -p "$dir"
	config "$n" "$dir"
	phase create $((2 * n + 10)) "$(cpu_target create "$n" "$lat")" "$n" "$lat" "$dir" -- apply -auto-approve
	phase no-op-plan 20 "$(cpu_target no-op-plan "$n" "$lat")" "$n" "$lat" "$dir" -- plan -detailed-exitcode
	# One change: at most 10 requests beyond the refresh it starts with.
	refresh=${total[no-op-plan,$n,$lat]}
	phase one-change $((refresh + 10)) - "$n" "$lat" "$dir" -- apply -auto-approve -var changed=true
	phase destroy $((2 * n + 10)) "$(cpu_target destroy "$n" "$lat")" "$n" "$lat" "$dir" -- destroy -auto-approve -var changed=true
	stop_kong
done

# A small configuration in a large runtime group: what it costs must not
# depend on how many entities others keep there.
if [ "$big" -gt 0 ]; then
	echo "==> N=1 implementation + 1 route among $big other services and $big other routes, Admin API latency $big_latency"
	start_kong "$big_latency" -populate "$big"
	dir="$work/big"
	mkdir -p "$dir"
	config 1 "$dir"
	phase create 12 - "1 (+$big)" "$big_latency" "$dir" -- apply -auto-approve
	phase no-op-plan 4 1 "1 (+$big)" "$big_latency" "$dir" -- plan -detailed-exitcode
	phase destroy 12 - "1 (+$big)" "$big_latency" "$dir" -- destroy -auto-approve
	stop_kong
fi

# Terraform on its own: the same number of resources of the built-in
# terraform_data, in the same two tiers, no provider and no network. What
# this costs is what Terraform itself adds to every wall time above.
baseline=()
if [ "${BENCH_BASELINE:-1}" != 0 ]; then
	for n in $(for c in $cases; do echo "${c%@*}"; done | sort -nu); do
		echo "==> Terraform alone: $((2 * n)) terraform_data resources"
		dir="$work/baseline-$n"
		mkdir -p "$dir"
		cat >"$dir/main.tf" <<HCL
resource "terraform_data" "a" {
  count = $n
  input = "a-\${count.index}"
}

resource "terraform_data" "b" {
  count = $n
  input = terraform_data.a[count.index].id
}
HCL
		line="| $n |"
		for cmd in "apply -auto-approve" "plan -detailed-exitcode" "destroy -auto-approve"; do
			t0=$(now)
			# shellcheck disable=SC2086 # cmd is a command and its flags
			"$tf" -chdir="$dir" $cmd -no-color -input=false >"$dir/out.log" 2>&1 || { cat "$dir/out.log" >&2; exit 1; }
			t1=$(now)
			line+=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf " %.1f s |", b - a }')
		done
		baseline+=("$line")
		echo "    ${line//|/ }"
	done
fi

# No quadratic behaviour: from each N to the next at the same latency,
# requests grow at most in proportion to N (plans not at all), and so
# should the provider's CPU time.
scaling=()
for lat in $(for c in $cases; do echo "${c#*@}"; done | sort -u); do
	ns=$(for c in $cases; do [ "${c#*@}" = "$lat" ] && echo "${c%@*}"; done | sort -nu)
	lo=
	for hi in $ns; do
		if [ -z "$lo" ]; then
			lo=$hi
			continue
		fi
		for p in create no-op-plan one-change destroy; do
			a=${total[$p,$lo,$lat]} b=${total[$p,$hi,$lat]}
			ta=${secs[$p,$lo,$lat]} tb=${secs[$p,$hi,$lat]}
			ca=${pcpus[$p,$lo,$lat]} cb=${pcpus[$p,$hi,$lat]}
			line=$(awk -v a="$a" -v b="$b" -v ta="$ta" -v tb="$tb" -v ca="$ca" -v cb="$cb" -v lo="$lo" -v hi="$hi" -v p="$p" -v lat="$lat" 'BEGIN {
				r = (a > 0) ? b / a : 0; w = (ta > 0) ? tb / ta : 0; c = (ca > 0) ? cb / ca : 0
				printf "| %s | %s | %d → %d (×%g) | %d → %d (×%.2f) | %.2f s → %.2f s (×%.2f) | %.1f s → %.1f s (×%.2f) |", lat, p, lo, hi, hi / lo, a, b, r, ca, cb, c, ta, tb, w
			}')
			scaling+=("$line")
			if [ "$b" -gt $((a * hi / lo + 10)) ]; then
				failures+=("latency=$lat $p: $a → $b requests from N=$lo to N=$hi grows faster than N")
			fi
			# CPU time is steadier than wall time on a shared machine, but
			# not exact: a warning, not a failure.
			if awk -v ca="$ca" -v cb="$cb" -v r="$(awk -v a="$lo" -v b="$hi" 'BEGIN { print b / a }')" 'BEGIN { exit !(ca > 0 && cb / ca > 1.5 * r) }'; then
				warnings+=("latency=$lat $p: provider CPU ${ca}s → ${cb}s from N=$lo to N=$hi grows faster than N")
			fi
		done
		lo=$hi
	done
done

echo
echo "Machine: $(nproc) cores, $(go version | cut -d' ' -f3-), $("$tf" version | head -n1), $(uname -sm)"
echo
echo "| N | Admin API latency | phase | requests | GET | PUT | POST | DELETE | target | met | wall time | provider CPU | CPU target | provider peak RSS | provider processes | localkong CPU |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if [ ${#scaling[@]} -gt 0 ]; then
	echo
	echo "| Admin API latency | phase | N | requests | provider CPU | wall time |"
	echo "|---:|---|---:|---:|---:|---:|"
	printf '%s\n' "${scaling[@]}"
fi
if [ ${#baseline[@]} -gt 0 ]; then
	echo
	echo "Terraform alone, 2N terraform_data resources in two tiers (wall time):"
	echo
	echo "| N | apply | no-op plan | destroy |"
	echo "|---:|---:|---:|---:|"
	printf '%s\n' "${baseline[@]}"
fi
echo
if [ ${#warnings[@]} -gt 0 ]; then
	echo "==> warnings:"
	printf '    %s\n' "${warnings[@]}"
fi
if [ ${#failures[@]} -gt 0 ]; then
	echo "==> targets missed:"
	printf '    %s\n' "${failures[@]}"
	exit 1
fi
echo "==> all targets met"
