#!/usr/bin/env bash
# Runs every fuzz target of the module, one after the other (go test -fuzz
# takes one package and one target per run), each for the same time.
#
#   scripts/fuzz.sh [duration] [target regexp]
#
#   scripts/fuzz.sh                 # every target for 60s
#   scripts/fuzz.sh 10m             # every target for 10 minutes
#   scripts/fuzz.sh 30s 'Verify'    # the targets whose name matches Verify
#
# duration is anything -fuzztime takes ("45s", "10m", or "5000x" for a
# number of inputs). The targets are found with go test -list, so a new one
# is fuzzed without editing this script; each must have a seed corpus in its
# package's testdata/fuzz/<Target>/ (Go's corpus format), or the script
# fails. Every target runs even when one fails; the exit status is 1 if any
# did.
#
# When a target fails, go test writes the input that failed to
# testdata/fuzz/<Target>/ in its package. Fix the bug and commit that file
# with the fix: from then on plain go test runs it as a regression test.
# Inputs that merely widen coverage stay in the Go build cache
# ($(go env GOCACHE)/fuzz) and make later runs start further.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration=${1:-60s}
filter=${2:-.}

# go test -list prints the matching names of a package, then a line
# "ok  <import path>  <time>".
listing=$(go test -run '^$' -list '^Fuzz' ./...)
targets=()
names=()
while read -r first second _; do
	case $first in
	Fuzz*) names+=("$first") ;;
	ok)
		for name in "${names[@]}"; do
			targets+=("$second $name")
		done
		names=()
		;;
	esac
done <<<"$listing"

if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
failed=()
start=$SECONDS
for entry in "${targets[@]}"; do
	pkg=${entry% *}
	name=${entry#* }
	[[ $name =~ $filter ]] || continue
	dir=$(go list -f '{{.Dir}}' "$pkg")
	corpus="$dir/testdata/fuzz/$name"
	if [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
		echo "fuzz: $pkg $name has no seed corpus in testdata/fuzz/$name" >&2
		failed+=("$name (no seed corpus)")
		status=1
		continue
	fi
	echo "--- $name ($pkg) for $duration, $(ls -A "$corpus" | wc -l | tr -d ' ') seeds"
	t0=$SECONDS
	if ! go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" 2>&1 | tee "$log"; then
		# The go command of Go 1.26 and earlier can stop a healthy run
		# at the -fuzztime deadline with a bare "context deadline
		# exceeded" (golang.org/issue/75804). A real failure always
		# writes its input to testdata/fuzz, so only that counts.
		if grep -q 'Failing input written to' "$log" || ! grep -qx '    context deadline exceeded' "$log"; then
			failed+=("$name")
			status=1
		else
			echo "--- $name: stopped at the deadline by golang.org/issue/75804, no failing input: not a failure"
		fi
	fi
	echo "--- $name: $((SECONDS - t0))s"
done

echo "fuzz: $((SECONDS - start))s in all"
if [ $status -ne 0 ]; then
	echo "fuzz: failed: ${failed[*]}" >&2
	echo "fuzz: commit each input go test wrote to testdata/fuzz/ with the fix" >&2
fi
exit $status
