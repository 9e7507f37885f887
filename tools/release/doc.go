// Package release holds tests of the release configuration against what
// the Terraform Registry needs from a provider release, so a broken
// .goreleaser.yml fails `make test` rather than a tag push. `goreleaser
// check` (scripts/release-check.sh) validates the syntax; these tests pin
// the registry's contract, which goreleaser knows nothing about.
package release
