package secrettest_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// secret is one value that must never be output, by name.
type secret struct {
	name  string
	value []byte
}

// forms returns the ways s could leak: as is, in hex (both cases) and in
// the four base64 encodings.
func (s secret) forms() map[string]string {
	return map[string]string{
		"raw":             string(s.value),
		"hex":             hex.EncodeToString(s.value),
		"HEX":             strings.ToUpper(hex.EncodeToString(s.value)),
		"base64":          base64.StdEncoding.EncodeToString(s.value),
		"base64 unpadded": base64.RawStdEncoding.EncodeToString(s.value),
		"base64url":       base64.URLEncoding.EncodeToString(s.value),
		"base64url raw":   base64.RawURLEncoding.EncodeToString(s.value),
	}
}

// output is one piece of text the library produced.
type output struct {
	what string // where it came from, for the failure message
	text string
}

// recorder collects secrets and outputs; check then looks for every form
// of every secret in every output. It is safe for concurrent use: HTTP
// servers and log handlers write to it from their own goroutines.
type recorder struct {
	mu      sync.Mutex
	secrets []secret
	outputs []output
}

// secret registers value, which must never be output, and returns it.
func (r *recorder) secret(name, value string) string {
	r.secretBytes(name, []byte(value))
	return value
}

func (r *recorder) secretBytes(name string, value []byte) {
	if len(value) < 16 {
		panic(fmt.Sprintf("secret %s is too short to be searched for reliably", name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = append(r.secrets, secret{name: name, value: bytes.Clone(value)})
}

// token registers a token presented to the library: the whole of it and,
// for a JWS, its signature.
func (r *recorder) token(name, tok string) string {
	r.secret(name, tok)
	if i := strings.LastIndexByte(tok, '.'); i >= 0 && len(tok)-i-1 >= 16 {
		r.secret(name+" (signature)", tok[i+1:])
	}
	return tok
}

// add records text as output.
func (r *recorder) add(what, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outputs = append(r.outputs, output{what: what, text: text})
}

// err records every way err can be printed. A nil err is a failure: each
// call site runs an error path.
func (r *recorder) err(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	r.add(what+": Error()", err.Error())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		r.add(what+": "+verb, fmt.Sprintf(verb, err))
	}
	// The errors it wraps, which a caller may print one by one.
	for i, e := range unwrapAll(err) {
		r.add(fmt.Sprintf("%s: wrapped error %d %%+v", what, i), fmt.Sprintf("%+v", e))
		r.add(fmt.Sprintf("%s: wrapped error %d %%#v", what, i), fmt.Sprintf("%#v", e))
	}
}

// message records what err prints, but not the errors it wraps: for an
// error that wraps one of the caller's own, whose text is the caller's.
func (r *recorder) message(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	r.add(what+": Error()", err.Error())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		r.add(what+": "+verb, fmt.Sprintf(verb, err))
	}
}

// unwrapAll returns every error in the tree of err, err excluded.
func unwrapAll(err error) []error {
	var all []error
	var walk func(error)
	walk = func(e error) {
		var next []error
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if w := u.Unwrap(); w != nil {
				next = []error{w}
			}
		case interface{ Unwrap() []error }:
			next = u.Unwrap()
		}
		for _, w := range next {
			all = append(all, w)
			walk(w)
		}
	}
	walk(err)
	return all
}

// verbs are the fmt verbs a value of ours is printed with.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x"}

// format records v printed with every verb, alone and inside a slice, a
// struct and a map, where fmt reaches it by reflection.
func (r *recorder) format(what string, v any) {
	for _, verb := range verbs {
		r.add(what+" "+verb, fmt.Sprintf(verb, v))
		r.add(what+" "+verb+" in a slice", fmt.Sprintf(verb, []any{v}))
		r.add(what+" "+verb+" in a struct", fmt.Sprintf(verb, struct{ V any }{v}))
		r.add(what+" "+verb+" in a map", fmt.Sprintf(verb, map[string]any{"v": v}))
	}
	r.add(what+" Sprint", fmt.Sprint(v))
	r.add(what+" Sprintln", fmt.Sprintln(v))
	if s, ok := v.(fmt.Stringer); ok {
		r.add(what+" String()", s.String())
	}
	if s, ok := v.(fmt.GoStringer); ok {
		r.add(what+" GoString()", s.GoString())
	}
}

// response records a response: its status line, headers and body.
func (r *recorder) response(what string, status int, h http.Header, body string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", status)
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(h[k], ", "))
	}
	b.WriteString(body)
	r.add(what+": response", b.String())
}

// leak is one secret found in one output.
type leak struct{ secret, form, what, text string }

// leaks returns every form of every secret found in an output.
func (r *recorder) leaks() []leak {
	r.mu.Lock()
	defer r.mu.Unlock()
	var found []leak
	for _, s := range r.secrets {
		for form, f := range s.forms() {
			for _, o := range r.outputs {
				if strings.Contains(o.text, f) {
					found = append(found, leak{s.name, form, o.what, o.text})
				}
			}
		}
	}
	return found
}

// logWriter appends what the handlers write, one record per Write, to
// the recorder.
type logWriter struct {
	r    *recorder
	what string
}

func (w logWriter) Write(p []byte) (int, error) {
	w.r.add(w.what, string(p))
	return len(p), nil
}

// logger returns a logger that records every record, at every level, as
// both slog's text and JSON handlers write it.
func (r *recorder) logger(what string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug, AddSource: true}
	return slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(logWriter{r, what + " (text)"}, opts),
		slog.NewJSONHandler(logWriter{r, what + " (JSON)"}, opts),
	))
}

// captureDefault makes the recorder's logger the default one for the rest
// of the test, and counts the records written with it.
func (r *recorder) captureDefault(t *testing.T) *counter {
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })
	c := &counter{}
	slog.SetDefault(slog.New(countingHandler{r.logger("slog.Default").Handler(), c}))
	return c
}

// counter counts log records, so that the test can check it saw some.
type counter struct {
	mu sync.Mutex
	n  map[string]int // by message
}

func (c *counter) add(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[msg]++
}

func (c *counter) get(msg string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[msg]
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.n {
		n += v
	}
	return n
}

// countingHandler counts the records it passes on.
type countingHandler struct {
	slog.Handler
	c *counter
}

func (h countingHandler) Handle(ctx context.Context, rec slog.Record) error {
	h.c.add(rec.Message)
	return h.Handler.Handle(ctx, rec)
}

func (h countingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return countingHandler{h.Handler.WithAttrs(attrs), h.c}
}

func (h countingHandler) WithGroup(name string) slog.Handler {
	return countingHandler{h.Handler.WithGroup(name), h.c}
}

// randomString returns a string of 2n random hex digits.
func randomString(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// jws forges a compact JWS of header and claims, HMAC-SHA256-signed with
// key, so that a test controls every part of a token.
func jws(t *testing.T, header, claims map[string]any, key []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(claims)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// failingReader fails every read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no randomness today") }
