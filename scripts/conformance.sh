#!/usr/bin/env bash
# Runs go-kong v0.78.0's own service, route, certificate, schema, info,
# plugin, consumer and credential tests against a fresh localkong, through
# KONG_ADMIN_URL. Every listed test must pass; a skip counts as a failure
# (go-kong skips on anything it does not recognise as Kong 3.x in postgres
# mode). Left out: the tests of Kong Gateway Enterprise (consumer groups,
# plugin ordering, partials).
set -euo pipefail

GOKONG_VERSION=v0.78.0
TESTS='TestServicesService|TestServiceWithTags|TestServiceListEndpoint|TestServiceWithClientCert|TestRoutesRoute|TestRouteWithTags|TestCreateInRoute|TestRouteListEndpoint|TestRouteWithHeaders|TestRoutesValidationTraditionalCompatible|TestCertificatesService|TestCertificateWithTags|TestCertificateListEndpoint|TestCACertificatesService|TestCACertificateWithTags|TestCACertificateListEndpoint|TestSchemaService|TestSchemaServiceValidate|TestInfoService|TestRoot|TestKongStatus'
# Plugins, consumers and the credentials of key-auth, basic-auth, acl and jwt.
TESTS="$TESTS|TestPluginsServiceValidation|TestPluginsService|TestPluginsWithInstanceNameService|TestPluginWithTags|TestUnknownPlugin|TestPluginListEndpoint|TestPluginListAllForEntityEndpoint|TestPluginGetFullSchema|TestFillPluginDefaults|TestFillPluginDefaultsArbitraryMap"
TESTS="$TESTS|TestConsumersService|TestConsumerWithTags|TestConsumerListEndpoint|TestConsumerListWithTags"
TESTS="$TESTS|TestKeyAuthCreate|TestKeyAuthCreateWithID|TestKeyAuthGet|TestKeyAuthGetByID|TestKeyAuthUpdate|TestKeyAuthDelete|TestKeyAuthListMethods|TestKeyAuthCreateWithTTL"
TESTS="$TESTS|TestBasicAuthCreate|TestBasicAuthCreateWithID|TestBasicAuthGet|TestBasicAuthGetByID|TestBasicAuthUpdate|TestBasicAuthDelete|TestBasicAuthListMethods|TestBasicAuthCreateWithOptions|TestBasicAuthUpdateWithOptions"
TESTS="$TESTS|TestACLGroupCreate|TestACLGroupCreateWithID|TestACLGroupGet|TestACLGroupGetByID|TestACLGroupUpdate|TestACLGroupDelete|TestACLGroupListMethods"
TESTS="$TESTS|TestJWTCreate|TestJWTCreateWithID|TestJWTGet|TestJWTGetByID|TestJWTUpdate|TestJWTDelete|TestJWTListMethods"
WANT=66

root=$(cd "$(dirname "$0")/.." && pwd)
modcache=$(go env GOMODCACHE)
src="$modcache/github.com/kong/go-kong@$GOKONG_VERSION"
if [ ! -d "$src" ]; then
  (cd "$root" && scripts/quiet.sh "downloading go-kong $GOKONG_VERSION" go mod download "github.com/kong/go-kong@$GOKONG_VERSION")
fi

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -R "$src" "$work/go-kong"
chmod -R u+w "$work/go-kong"

# LOCALKONG may name a prebuilt binary; otherwise build the tree's.
bin=${LOCALKONG:-}
if [ -z "$bin" ]; then
  bin="$work/localkong"
  (cd "$root" && go build -o "$bin" ./internal/localkong/cmd/localkong)
fi
. "$root/scripts/localkong-lib.sh"
start_localkong "$bin" "$work/localkong.log"
pid=$localkong_pid admin=$localkong_admin
echo "conformance: localkong at $admin"

set +e
# Without the "go: downloading" lines of go-kong's own dependencies.
(cd "$work/go-kong" && KONG_ADMIN_URL="$admin" GOFLAGS="-mod=mod ${GOFLAGS:-}" \
  go test -count=1 -v -run "^($TESTS)\$" ./kong 2>&1) | grep --line-buffered -v '^go: downloading ' | tee "$work/test.log"
set -e

# Top-level results only: subtests are indented.
passed=$(grep -c '^--- PASS: ' "$work/test.log" || true)
failed=$(grep -c '^--- FAIL: ' "$work/test.log" || true)
skipped=$(grep -c '^--- SKIP: ' "$work/test.log" || true)
echo "conformance: $passed passed, $failed failed, $skipped skipped"

if [ "$failed" -ne 0 ] || [ "$skipped" -ne 0 ] || [ $((passed + failed + skipped)) -lt "$WANT" ]; then
  grep -E '^(--- (FAIL|SKIP)|FAIL|panic)' "$work/test.log" >&2 || true
  exit 1
fi
