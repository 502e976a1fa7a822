#!/usr/bin/env bash
# Runs govulncheck over the root module and over every example module
# (examples/*/go.mod), and fails if any of them calls a known vulnerable
# function, in a dependency or in the standard library of the go command
# in use (so run it with the toolchain you build with; .ci/run sets it).
#
#   scripts/vulncheck.sh
#
# It needs no access to vuln.go.dev. The reports of the Go vulnerability
# database are published as the module golang.org/x/vulndb, whose data/osv
# directory holds one OSV file per report; the module proxy serves it like
# any other module. The script downloads it into the module cache, where it
# stays, one directory per version, and points govulncheck at that
# directory with -db file://. govulncheck indexes a directory of OSV files
# in memory when it has no prebuilt index, in about a second; building the
# index with the module's cmd/indexdb gives the same findings but first
# compiles some 680 packages. Because reading a bare OSV directory is not a
# documented interface of govulncheck, the script checks, before it trusts
# a clean result, that the database works: govulncheck must find
# GO-2025-3553 (CVE-2025-30204) in a program that parses a token with
# golang-jwt v5.2.1.
#
# Environment:
#   VULNDB_VERSION   version of golang.org/x/vulndb to check against.
#                    Default: the latest one the module proxy has.
#   VULNCHECK_CACHE  where govulncheck is installed.
#                    Default: ${XDG_CACHE_HOME:-$HOME/.cache}/graphcool-lib/vulncheck
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

# govulncheck itself is pinned: a new release can change what it reports,
# and how it reads a database.
govulncheck_version=v1.9.0

cache=${VULNCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/graphcool-lib/vulncheck}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

# Module commands run outside this module, so that they cannot touch its
# go.mod or go.sum.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

bin="$cache/bin/$govulncheck_version"
(cd "$scratch" && GOBIN="$bin" go install "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version")
govulncheck="$bin/govulncheck"
echo "$("$govulncheck" -version | grep -i scanner)"

version=${VULNDB_VERSION:-}
if [ -z "$version" ]; then
	version=$(cd "$scratch" && go list -m -f '{{.Version}}' golang.org/x/vulndb@latest)
fi
src=$(cd "$scratch" && go mod download -json "golang.org/x/vulndb@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
db="$src/data/osv"
reports=$(ls "$db" 2>/dev/null | grep -c '^GO-.*\.json$' || true)
if [ "$reports" -lt 1000 ]; then
	echo "vulncheck: golang.org/x/vulndb@$version has $reports reports in data/osv" >&2
	exit 1
fi
echo "database: golang.org/x/vulndb@$version, $reports reports; $(go env GOVERSION) standard library"

# The check of the database: a program with a known vulnerability.
selftest="$scratch/selftest"
mkdir "$selftest"
printf 'module selftest\n\ngo 1.21\n' >"$selftest/go.mod"
printf 'package main\n\nimport "github.com/golang-jwt/jwt/v5"\n\nfunc main() { _, _ = jwt.Parse("", nil) }\n' >"$selftest/main.go"
(cd "$selftest" && go get github.com/golang-jwt/jwt/v5@v5.2.1)
set +e
found=$("$govulncheck" -db "file://$db" -C "$selftest" ./... 2>&1)
code=$?
set -e
if [ $code -ne 3 ] || ! grep -q 'GO-2025-3553' <<<"$found"; then
	echo "$found" >&2
	echo "vulncheck: the database does not work: GO-2025-3553 not found in golang-jwt v5.2.1 (exit status $code)" >&2
	exit 1
fi
echo "database check: GO-2025-3553 found in golang-jwt v5.2.1, as it must be"

status=0
for dir in . examples/*/; do
	dir=${dir%/}
	[ "$dir" = . ] || [ -e "$dir/go.mod" ] || continue
	echo "--- govulncheck ./... in $dir"
	if ! "$govulncheck" -db "file://$db" -C "$root/$dir" ./...; then
		echo "vulncheck: findings in $dir" >&2
		status=1
	fi
done
exit $status
