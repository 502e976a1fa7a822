// Command loadtest measures, over loopback, what the auth middleware costs
// a small JSON API: it serves the same handler three ways, without
// middleware, behind the middleware with every client sending the same
// node token, and behind it with a new token on every request, drives each
// with concurrent keep-alive clients and prints the requests per second of
// each and their ratio to the handler alone.
//
// It also prints the CPU time the whole process (clients and server) spent
// per request, and the same ratio computed from it: on a machine shared
// with other work, requests per second follow the share of the CPU the
// program gets, while CPU time per request does not.
//
// # Usage
//
//	go run ./internal/loadtest [-duration 5s] [-clients 8] [-requests N] [-tokens N] [-rounds 1]
//
// Every server listens on 127.0.0.1 on a port the system picks, and the
// clients dial nothing else: they refuse any other address and ignore
// proxy settings. Each case stops after -duration or -requests requests,
// whichever comes first; the new-token case also stops when its
// -tokens pre-minted tokens are used up. With -rounds above 1 the cases
// run in turn that many times and the median of each is reported.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
	"github.com/graphcool-go/graphcool-lib/token"
)

const serviceID = "cj9load0test0service"

// loopback is the only host the program listens on or dials.
const loopback = "127.0.0.1"

// targetRatio is the share of the bare handler's throughput the middleware
// should keep with a repeated token.
const targetRatio = 0.85

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	duration time.Duration
	clients  int
	requests int
	tokens   int
	rounds   int
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "how long each case runs, at most")
	fs.IntVar(&c.clients, "clients", 8, "concurrent keep-alive clients")
	fs.IntVar(&c.requests, "requests", 2_000_000, "requests per case, at most")
	fs.IntVar(&c.tokens, "tokens", 100_000, "tokens minted for the new-token case, which it never reuses")
	fs.IntVar(&c.rounds, "rounds", 1, "times each case runs; the median is reported")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	case c.duration <= 0 || c.duration > time.Hour:
		return c, errors.New("-duration must be above 0 and at most 1h")
	case c.clients < 1 || c.clients > 1024:
		return c, errors.New("-clients must be between 1 and 1024")
	case c.requests < 1:
		return c, errors.New("-requests must be at least 1")
	case c.tokens < 1 || c.tokens > 10_000_000:
		return c, errors.New("-tokens must be between 1 and 10,000,000")
	case c.rounds < 1 || c.rounds > 100:
		return c, errors.New("-rounds must be between 1 and 100")
	}
	return c, nil
}

// scenario is one way of serving the handler and the tokens its clients
// send.
type scenario struct {
	name string
	// handler wraps the application handler.
	handler func(app http.Handler) (http.Handler, error)
	// tokens are sent in turn, each at most once if unique is set.
	tokens []string
	unique bool
	// warmup is the token of the uncounted request that opens each
	// client's connection.
	warmup string
	// want is what every response body must contain.
	want []byte
}

// result is the outcome of one run of a scenario.
type result struct {
	requests int64
	elapsed  time.Duration
	cpu      time.Duration // 0 when unknown
}

func (r result) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// cpuPerRequest returns the CPU time spent per request, in microseconds.
func (r result) cpuPerRequest() float64 {
	return r.cpu.Seconds() * 1e6 / float64(r.requests)
}

func run(args []string, w io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	root, err := token.NewRootToken()
	if err != nil {
		return err
	}
	minter, err := auth.New(serviceID, []string{root})
	if err != nil {
		return err
	}
	seen, err := minter.GenerateAuthToken("cj9user0repeat", "User")
	if err != nil {
		return err
	}
	fresh := make([]string, min(cfg.tokens, cfg.requests))
	for i := range fresh {
		if fresh[i], err = minter.GenerateAuthToken("cj9user"+strconv.Itoa(i), "User"); err != nil {
			return err
		}
	}
	withAuth := func(app http.Handler) (http.Handler, error) {
		// A client per server, so that no case finds the tokens of
		// another in its cache.
		c, err := auth.New(serviceID, []string{root})
		if err != nil {
			return nil, err
		}
		return middleware.New(c)(app), nil
	}
	scenarios := []scenario{
		{
			name:    "handler alone",
			handler: func(app http.Handler) (http.Handler, error) { return app, nil },
			tokens:  []string{seen},
			warmup:  seen,
			want:    []byte(`"kind":"anonymous"`),
		},
		{name: "middleware, repeated token", handler: withAuth, tokens: []string{seen}, warmup: seen, want: []byte(`"kind":"node"`)},
		{name: "middleware, new token per request", handler: withAuth, tokens: fresh, unique: true, warmup: seen, want: []byte(`"kind":"node"`)},
	}

	runs := make([][]result, len(scenarios))
	for range cfg.rounds {
		for i, s := range scenarios {
			r, err := runScenario(s, cfg)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			runs[i] = append(runs[i], r)
		}
	}

	fmt.Fprintf(w, "loopback load: %d clients, at most %s and %d requests per case, %d round(s), GOMAXPROCS=%d\n",
		cfg.clients, cfg.duration, cfg.requests, cfg.rounds, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "%-36s %10s %9s %12s %10s %12s %10s\n", "case", "requests", "seconds", "req/s", "vs alone", "CPU µs/req", "vs alone")
	alone := medianResult(runs[0])
	aloneCPU, cpuOK := medianCPU(runs[0])
	for i, s := range scenarios {
		r := medianResult(runs[i])
		fmt.Fprintf(w, "%-36s %10d %9.2f %12.0f %10.3f", s.name, r.requests, r.elapsed.Seconds(), r.perSecond(), r.perSecond()/alone.perSecond())
		if cpu, ok := medianCPU(runs[i]); ok && cpuOK {
			fmt.Fprintf(w, " %12.1f %10.3f", cpu, aloneCPU/cpu)
		}
		fmt.Fprintln(w)
	}
	ratio := medianResult(runs[1]).perSecond() / alone.perSecond()
	fmt.Fprintf(w, "repeated token keeps %.1f%% of the handler's throughput (target ≥ %.0f%%): %s\n",
		100*ratio, 100*targetRatio, verdict(ratio))
	if cpu, ok := medianCPU(runs[1]); ok && cpuOK {
		fmt.Fprintf(w, "by CPU time per request, %.1f%% (target ≥ %.0f%%): %s\n",
			100*aloneCPU/cpu, 100*targetRatio, verdict(aloneCPU/cpu))
	}
	return nil
}

func verdict(ratio float64) string {
	if ratio >= targetRatio {
		return "met"
	}
	return "NOT MET"
}

// medianCPU returns the median CPU time per request of rs, in
// microseconds, and false if the CPU time is unknown.
func medianCPU(rs []result) (float64, bool) {
	cpus := make([]float64, 0, len(rs))
	for _, r := range rs {
		if r.cpu <= 0 || r.requests == 0 {
			return 0, false
		}
		cpus = append(cpus, r.cpuPerRequest())
	}
	slices.Sort(cpus)
	return cpus[len(cpus)/2], true
}

// medianResult returns the run of median throughput.
func medianResult(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int {
		switch {
		case a.perSecond() < b.perSecond():
			return -1
		case a.perSecond() > b.perSecond():
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}

// app is the example API handler: it answers with the caller's identity
// as a small JSON object.
var app = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	id, _ := auth.FromContext(r.Context())
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(struct {
		Kind      string `json:"kind"`
		NodeID    string `json:"nodeId,omitempty"`
		ModelType string `json:"modelType,omitempty"`
	}{id.Kind.String(), id.NodeID, id.ModelType})
})

// runScenario serves s on loopback and drives it with cfg.clients clients
// until cfg.duration has passed, cfg.requests requests have been made or,
// for unique tokens, the tokens are used up.
func runScenario(s scenario, cfg config) (result, error) {
	h, err := s.handler(app)
	if err != nil {
		return result{}, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(loopback, "0"))
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-served
	}()

	url := "http://" + ln.Addr().String() + "/me"
	transport := &http.Transport{
		Proxy:               nil,
		DialContext:         dialLoopback,
		MaxIdleConns:        cfg.clients,
		MaxIdleConnsPerHost: cfg.clients,
		MaxConnsPerHost:     cfg.clients,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	// Each client opens its connection with one request, not counted.
	var warm sync.WaitGroup
	warmErrs := make([]error, cfg.clients)
	for i := range cfg.clients {
		warm.Go(func() { warmErrs[i] = get(client, url, s.warmup, nil) })
	}
	warm.Wait()
	if err := errors.Join(warmErrs...); err != nil {
		return result{}, err
	}

	limit := int64(cfg.requests)
	if s.unique {
		limit = min(limit, int64(len(s.tokens)))
	}
	var (
		next     atomic.Int64 // requests started
		done     atomic.Int64 // requests answered as expected
		firstErr atomic.Pointer[error]
		wg       sync.WaitGroup
	)
	cpu0, cpuOK := cpuTime()
	deadline := time.Now().Add(cfg.duration)
	start := time.Now()
	for range cfg.clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				n := next.Add(1)
				if n > limit || firstErr.Load() != nil {
					return
				}
				if err := get(client, url, s.tokens[(n-1)%int64(len(s.tokens))], s.want); err != nil {
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, _ := cpuTime()
	if p := firstErr.Load(); p != nil {
		return result{}, *p
	}
	r := result{requests: done.Load(), elapsed: elapsed}
	if cpuOK {
		r.cpu = cpu1 - cpu0
	}
	return r, nil
}

// get makes one request with tok as its bearer token and checks that the
// answer is 200 and, if want is set, that its body contains want.
func get(client *http.Client, url, tok string, want []byte) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if want != nil && !bytes.Contains(body, want) {
		return fmt.Errorf("unexpected body %q", body)
	}
	return nil
}

// dialLoopback dials addr if it is on 127.0.0.1 and refuses anything else.
func dialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if host != loopback || (network != "tcp" && network != "tcp4") {
		return nil, fmt.Errorf("refusing to dial %s %s: only %s is allowed", network, addr, loopback)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp4", addr)
}
