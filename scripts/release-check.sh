#!/usr/bin/env bash
# `goreleaser check` on .goreleaser.yml, then a snapshot release for
# linux/amd64 only, signed with a throwaway GPG key, checked as the
# Terraform Registry checks a release: the SHA256SUMS signature verifies,
# every sum matches, the sums list exactly the archives and the manifest,
# and the zip holds terraform-provider-servicehub_v<version>. goreleaser
# comes from scripts/goreleaser.sh (built into .tools/bin once).
# tools/release pins the rest of the configuration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$(scripts/goreleaser.sh)
"$bin" check

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dist="$work/dist"
# The snapshot is built with the flags of `make build` (no -trimpath, cgo
# as the machine has it), so that it reuses what the run has compiled; the
# release's own flags are pinned by tools/release.
sed -E -e 's/^([[:space:]]*)goos: \[.*\]$/\1goos: [linux]/' \
	-e 's/^([[:space:]]*)goarch: \[.*\]$/\1goarch: [amd64]/' \
	-e '/^[[:space:]]*- (CGO_ENABLED=0|-trimpath)$/d' \
	-e "s|^dist:.*||" .goreleaser.yml >"$work/goreleaser.yml"
echo "dist: $dist" >>"$work/goreleaser.yml"

skip=publish
if command -v gpg >/dev/null 2>&1; then
	export GNUPGHOME="$work/gnupg"
	mkdir -m 700 "$GNUPGHOME"
	gpg --batch --quiet --passphrase '' --quick-gen-key 'release-check <release-check@example.invalid>' ed25519 sign 1d 2>/dev/null
	GPG_FINGERPRINT=$(gpg --list-keys --with-colons 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }')
	export GPG_FINGERPRINT
else
	echo "release-check: no gpg, skipping the signature" >&2
	skip=publish,sign
fi
if ! "$bin" release --config "$work/goreleaser.yml" --snapshot --clean --skip="$skip" >"$work/log" 2>&1; then
	cat "$work/log" >&2
	exit 1
fi

fail() { echo "release-check: $*" >&2; exit 1; }
cd "$dist"
sums=$(ls ./*_SHA256SUMS)
[ "$(echo "$sums" | wc -l)" -eq 1 ] || fail "want one SHA256SUMS file, got: $sums"
ver=$(basename "$sums" _SHA256SUMS)
ver=${ver#terraform-provider-servicehub_}
if [ "$skip" = publish ]; then
	gpg --batch --quiet --verify "$sums.sig" "$sums" 2>/dev/null || fail "$sums.sig does not verify"
fi
# release.extra_files uploads the manifest from the work tree under this name.
cp "$root/terraform-registry-manifest.json" "terraform-provider-servicehub_${ver}_manifest.json"
sha256sum --quiet -c "$sums" || fail "$sums does not match the files"
want=$(printf '%s\n' "localkong_${ver}_linux_amd64.tar.gz" \
	"terraform-provider-servicehub_${ver}_linux_amd64.zip" \
	"terraform-provider-servicehub_${ver}_manifest.json" | sort)
got=$(awk '{ print $2 }' "$sums" | sort)
[ "$got" = "$want" ] || fail "$sums lists"$'\n'"$got"$'\n'"want"$'\n'"$want"
# Listings are captured before grep: under pipefail, grep -q quitting early
# would SIGPIPE the lister and fail the check at random.
zip_list=$(unzip -l "terraform-provider-servicehub_${ver}_linux_amd64.zip")
grep -q " terraform-provider-servicehub_v${ver}\$" <<<"$zip_list" ||
	fail "the zip lacks terraform-provider-servicehub_v${ver}"
tar_list=$(tar -tzf "localkong_${ver}_linux_amd64.tar.gz")
grep -qx localkong <<<"$tar_list" || fail "the localkong archive lacks localkong"
echo "release-check: goreleaser check and a signed linux/amd64 snapshot ($ver) pass the registry's checks"
