#!/usr/bin/env bash
# Benchmarks of token, auth and auth/middleware, each beside the plain
# golang-jwt code doing the same work. Prints a benchstat summary and the
# ratios ours ÷ golang-jwt against the targets of the design.
#
#   bash bench/run.sh            # 10 runs of every benchmark
#   bash bench/run.sh 3          # 3 runs (or COUNT=3)
#   BENCHTIME=500ms bash bench/run.sh
#
# The runs are interleaved (every benchmark once, then again), so that a
# change in the machine's load falls on both sides of a ratio. The raw
# output is kept in bench/bench-<time>.txt (ignored by git) and copied to
# bench/latest.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

count="${1:-${COUNT:-10}}"
benchtime="${BENCHTIME:-1s}"
packages=(token auth auth/middleware)
benchstat_version="v0.0.0-20260908200009-22c9c6c9d4da"

case "$count" in
'' | *[!0-9]* | 0)
	echo "run.sh: the count must be a positive integer, not '$count'" >&2
	exit 2
	;;
esac

echo "=== installing benchstat@$benchstat_version"
go install "golang.org/x/perf/cmd/benchstat@$benchstat_version"
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
benchstat="$gobin/benchstat"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "=== building the test binaries"
for p in "${packages[@]}"; do
	go test -c -o "$tmp/${p//\//_}.test" "./$p"
done

out="bench/bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
: >"$out"
for i in $(seq 1 "$count"); do
	echo "=== run $i of $count"
	for p in "${packages[@]}"; do
		# A test binary runs in its package's directory, as go test does.
		(cd "$p" && "$tmp/${p//\//_}.test" -test.run '^$' -test.bench . \
			-test.benchmem -test.count 1 -test.benchtime "$benchtime") | tee -a "$out"
	done
done
cp "$out" bench/latest.txt

echo
echo "=== benchstat $out"
"$benchstat" "$out"
echo
echo "=== ratios"
go run ./internal/benchratio "$out"
echo
echo "raw output: $out"
