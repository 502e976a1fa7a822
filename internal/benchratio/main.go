// Command benchratio reads the output of go test -bench (several runs of
// the same benchmarks, as -count makes) and prints, from the medians, how
// each benchmark of the library compares with the plain golang-jwt code
// benchmarked beside it, and whether it meets the performance targets of
// the design.
//
// # Usage
//
//	go test -run '^$' -bench . -benchmem -count 10 ./token ./auth ./auth/middleware > bench.txt
//	go run ./internal/benchratio bench.txt
//
// With no file it reads standard input. bench/run.sh does both.
//
// A ratio is ours ÷ golang-jwt, of ns/op; for a middleware, of its
// overhead: its ns/op minus that of BenchmarkHandlerBare, the bare handler
// of the same package. A pair missing from the input is reported as such.
package main

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 1 {
		return errors.New("usage: benchratio [file]")
	}
	in := stdin
	if len(args) == 1 {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	results, err := parse(in)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return errors.New("no benchmark results in the input")
	}
	report(stdout, results)
	return nil
}

// key names one benchmark: the last element of its package path and its
// name without "Benchmark" and the GOMAXPROCS suffix.
type key struct{ pkg, name string }

func (k key) String() string { return k.pkg + "." + k.name }

// samples are the measurements of one benchmark, one per run.
type samples struct {
	ns, bytes, allocs []float64
}

// parse reads go test -bench output.
func parse(r io.Reader) (map[key]*samples, error) {
	results := map[key]*samples{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p[strings.LastIndexByte(p, '/')+1:]
			continue
		}
		name, fields, ok := benchLine(line)
		if !ok {
			continue
		}
		k := key{pkg, name}
		s := results[k]
		if s == nil {
			s = &samples{}
			results[k] = s
		}
		// fields: iterations, then value-unit pairs.
		for i := 1; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: bad value %q", k, fields[i])
			}
			switch fields[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	return results, sc.Err()
}

// benchLine splits a result line, "BenchmarkName-2  1000  123 ns/op ...",
// into the benchmark's name and the fields after it.
func benchLine(line string) (string, []string, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
		return "", nil, false
	}
	if _, err := strconv.Atoi(fields[1]); err != nil {
		return "", nil, false
	}
	name := strings.TrimPrefix(fields[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	return name, fields[1:], true
}

// median returns the median of xs, and false if there is none.
func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// pair is one comparison with golang-jwt and its target, if any.
type pair struct {
	pkg, ours, theirs string
	// overhead compares ns/op minus that of the package's
	// BenchmarkHandlerBare.
	overhead bool
	target   float64 // at most; 0 for none
	what     string
}

// pairs are the comparisons the design sets targets for, and a few more
// for information.
var pairs = []pair{
	{pkg: "token", ours: "Verify", theirs: "GolangJWTParse", target: 0.8, what: "token: verify a new token (fast path)"},
	{pkg: "token", ours: "VerifyFull", theirs: "GolangJWTParse", what: "token: verify a new token (general path)"},
	{pkg: "token", ours: "Sign", theirs: "GolangJWTSignedString", target: 1, what: "token: mint"},
	{pkg: "auth", ours: "VerifySeen", theirs: "GolangJWTVerifySeen", target: 0.05, what: "auth: verify a token seen before"},
	{pkg: "auth", ours: "VerifyNew", theirs: "GolangJWTVerifyNew", target: 0.8, what: "auth: verify a new token"},
	{pkg: "auth", ours: "VerifyNewNoCache", theirs: "GolangJWTVerifyNew", what: "auth: verify a new token, cache off"},
	{pkg: "auth", ours: "GenerateAuthToken", theirs: "GolangJWTGenerateAuthToken", target: 1, what: "auth: mint"},
	{pkg: "middleware", ours: "MiddlewareSeen", theirs: "GolangJWTMiddlewareSeen", overhead: true, target: 0.1, what: "middleware overhead, repeated token"},
	{pkg: "middleware", ours: "MiddlewareNew", theirs: "GolangJWTMiddlewareNew", overhead: true, what: "middleware overhead, new token"},
}

// absolute are the targets in nanoseconds.
var absolute = []struct {
	pkg, name string
	maxNS     float64
	what      string
}{
	{"auth", "VerifyRoot", 1000, "auth: verify a root token"},
}

func report(w io.Writer, results map[key]*samples) {
	keys := make([]key, 0, len(results))
	for k := range results {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.pkg, b.pkg), cmp.Compare(a.name, b.name))
	})
	fmt.Fprintf(w, "Medians\n%-48s %12s %10s %10s %5s\n", "benchmark", "ns/op", "B/op", "allocs/op", "runs")
	for _, k := range keys {
		s := results[k]
		ns, _ := median(s.ns)
		b, _ := median(s.bytes)
		a, _ := median(s.allocs)
		fmt.Fprintf(w, "%-48s %12.1f %10.0f %10.0f %5d\n", k, ns, b, a, len(s.ns))
	}

	fmt.Fprintf(w, "\nRatios, ours ÷ golang-jwt (medians of ns/op)\n")
	for _, p := range pairs {
		ours, ok1 := median(results[key{p.pkg, p.ours}].nsOrNil())
		theirs, ok2 := median(results[key{p.pkg, p.theirs}].nsOrNil())
		label := fmt.Sprintf("%s (%s ÷ %s)", p.what, p.ours, p.theirs)
		if !ok1 || !ok2 {
			fmt.Fprintf(w, "  %-92s missing from the input\n", label)
			continue
		}
		if p.overhead {
			bare, ok := median(results[key{p.pkg, "HandlerBare"}].nsOrNil())
			if !ok {
				fmt.Fprintf(w, "  %-92s missing HandlerBare\n", label)
				continue
			}
			ours, theirs = ours-bare, theirs-bare
			label = fmt.Sprintf("%s ((%s − HandlerBare) ÷ (%s − HandlerBare))", p.what, p.ours, p.theirs)
		}
		ratio := ours / theirs
		fmt.Fprintf(w, "  %-92s %7.3f%s\n", label, ratio, verdict(ratio <= p.target, p.target, "≤ %.2f"))
	}
	for _, a := range absolute {
		ns, ok := median(results[key{a.pkg, a.name}].nsOrNil())
		label := fmt.Sprintf("%s (%s)", a.what, a.name)
		if !ok {
			fmt.Fprintf(w, "  %-92s missing from the input\n", label)
			continue
		}
		fmt.Fprintf(w, "  %-92s %7.0f ns%s\n", label, ns, verdict(ns < a.maxNS, a.maxNS, "< %.0f ns"))
	}
}

// nsOrNil returns the ns/op samples of s, which may be nil.
func (s *samples) nsOrNil() []float64 {
	if s == nil {
		return nil
	}
	return s.ns
}

// verdict says whether a target, formatted with format, is met; "" when
// there is no target.
func verdict(met bool, target float64, format string) string {
	if target == 0 {
		return ""
	}
	t := fmt.Sprintf(format, target)
	if met {
		return "   target " + t + ": met"
	}
	return "   target " + t + ": NOT MET"
}
