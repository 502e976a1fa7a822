package middleware_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/graphcool-go/graphcool-lib/auth"
)

// Tokens the fake verifier knows. They look like what the token package
// mints, but nothing here is signed: the fake compares strings.
const (
	rootTok = "gcr_4Kf9x2LmQ8zR1vT7nB3cY6wE0pH5jA2d9F"
	nodeTok = "eyJhbGciOiJIUzI1NiIsImtpZCI6Ims0MiIsInR5cCI6IkpXVCJ9." +
		"eyJ1c2VySWQiOiJ1MSIsIm1vZGVsTmFtZSI6IlVzZXIifQ." +
		"dGhpcy1pcy1ub3QtYS1yZWFsLXNpZ25hdHVyZS0xMjM"
	adminTok = "eyJhbGciOiJIUzI1NiIsImtpZCI6Ims0MiIsInR5cCI6IkpXVCJ9." +
		"eyJ1c2VySWQiOiJhMSIsIm1vZGVsTmFtZSI6IkFkbWluIn0." +
		"YW5vdGhlci1mYWtlLXNpZ25hdHVyZS1mb3ItYWRtaW4"
	// badTok is well formed but unknown to the fake: the verifier refuses
	// it, as it would refuse a forged or expired token.
	badTok = "eyJhbGciOiJIUzI1NiIsImtpZCI6Ims0MiIsInR5cCI6IkpXVCJ9." +
		"eyJ1c2VySWQiOiJldmlsIiwibW9kZWxOYW1lIjoiVXNlciJ9." +
		"Zm9yZ2VkLXNpZ25hdHVyZS1mb3ItZXZpbC11c2VyLTk"
)

// allTokens are the strings no response or log may contain.
var allTokens = []string{rootTok, nodeTok, adminTok, badTok}

var errRefused = errors.New("fake: token refused")

var (
	rootID  = auth.Identity{Kind: auth.Root}
	nodeID  = auth.Identity{Kind: auth.Node, NodeID: "u1", ModelType: "User"}
	adminID = auth.Identity{Kind: auth.Node, NodeID: "a1", ModelType: "Admin"}
)

// fakeVerifier accepts the tokens in ids and refuses every other one. It
// counts its calls.
type fakeVerifier struct {
	ids   map[string]auth.Identity
	calls atomic.Int64
	// refuse, when set, makes the error of a refused token.
	refuse func(tok string) (auth.Identity, error)
}

func newFake() *fakeVerifier {
	return &fakeVerifier{ids: map[string]auth.Identity{
		rootTok:  rootID,
		nodeTok:  nodeID,
		adminTok: adminID,
	}}
}

func (f *fakeVerifier) Verify(ctx context.Context, tok string) (auth.Identity, error) {
	f.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return auth.Identity{}, err
	}
	if id, ok := f.ids[tok]; ok {
		return id, nil
	}
	if f.refuse != nil {
		return f.refuse(tok)
	}
	return auth.Identity{}, errRefused
}

// leakyVerifier refuses tokens with an error that quotes them, whole and
// in pieces, as a careless custom Verifier might.
func leakyVerifier() *fakeVerifier {
	f := newFake()
	f.refuse = func(tok string) (auth.Identity, error) {
		return auth.Identity{}, fmt.Errorf("leaky: refused %q (starts %s, ends %s)",
			tok, tok[:min(len(tok), 12)], tok[max(0, len(tok)-12):])
	}
	return f
}

// seen is what the probe handler saw of a request.
type seen struct {
	mu      sync.Mutex
	called  bool
	id      auth.Identity
	ok      bool
	authz   []string
	cookies []string
}

func (s *seen) get() seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return seen{called: s.called, id: s.id, ok: s.ok, authz: s.authz, cookies: s.cookies}
}

// probe records what it sees into s and answers 200 "ok".
func probe(s *seen) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.called = true
		s.id, s.ok = auth.FromContext(r.Context())
		s.authz = r.Header.Values("Authorization")
		s.cookies = r.Header.Values("Cookie")
		s.mu.Unlock()
		_, _ = w.Write([]byte("ok"))
	})
}

// request makes a GET request with one Authorization header per value.
func request(authz ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	for _, v := range authz {
		r.Header.Add("Authorization", v)
	}
	return r
}

// serve runs r through mw around a probe and returns the response and what
// the probe saw.
func serve(mw func(http.Handler) http.Handler, r *http.Request) (*httptest.ResponseRecorder, seen) {
	var s seen
	w := httptest.NewRecorder()
	mw(probe(&s)).ServeHTTP(w, r)
	return w, s.get()
}

// chain applies mws in order: chain(a, b)(h) is a(b(h)).
func chain(mws ...func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		for i := len(mws) - 1; i >= 0; i-- {
			h = mws[i](h)
		}
		return h
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// debugLogger returns a JSON logger at debug level writing to a new buffer.
func debugLogger() (*slog.Logger, *syncBuffer) {
	var buf syncBuffer
	return slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// assertNoToken fails t if s holds any of the test tokens or a 12-byte
// piece of one.
func assertNoToken(t *testing.T, what, s string) {
	t.Helper()
	for _, tok := range allTokens {
		for i := 0; i+12 <= len(tok); i += 6 {
			if bytes.Contains([]byte(s), []byte(tok[i:i+12])) {
				t.Errorf("%s holds a piece of a token (%q): %s", what, tok[i:i+12], s)
				return
			}
		}
	}
}
