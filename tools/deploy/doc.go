// Package deploy holds offline checks of what runs a real Kong: the
// compose file (deploy/kong/compose.yaml) and the GitHub Actions workflows
// (.github/workflows). Nothing here can start Docker or GitHub; these
// tests parse the files and pin what they must contain, so that a broken
// one fails `make test` instead of a user's `make kong-up` or a CI run.
// actionlint (scripts/deploy-check.sh) checks the workflows' syntax and
// expressions on top.
package deploy
