package middleware_test

// Benchmarks of the middleware around an empty handler with a real
// *auth.Client, beside a bare handler and a plain golang-jwt middleware
// doing the same work, so that one run gives the overhead of each:
//
//	overhead = ns/op(middleware) - ns/op(BenchmarkHandlerBare)
//
// bench/run.sh runs them and prints the ratios.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
	"github.com/graphcool-go/graphcool-lib/internal/jwtbaseline"
	"github.com/graphcool-go/graphcool-lib/token"
)

const benchServiceID = "cj9bench0service0id"

// benchNewTokens is how many distinct tokens the "New" benchmarks cycle
// through, and benchNewCacheSize the cache size of the client verifying
// them: eight times fewer entries than tokens, so that every request
// presents a token that is not in the cache.
const (
	benchNewTokens    = 8192
	benchNewCacheSize = benchNewTokens / 8
)

// benchFixture is a root token, its derived key and the Authorization
// header values of tokens minted with it, each in a slice of its own so
// that a benchmark sets a request's header without allocating.
type benchFixture struct {
	root  string
	kid   string
	key   []byte
	seen  []string
	fresh [][]string
}

var (
	benchOnce sync.Once
	benchFix  benchFixture
	benchErr  error
)

func benchSetup(b *testing.B) *benchFixture {
	b.Helper()
	benchOnce.Do(func() {
		f := &benchFix
		if f.root, benchErr = token.NewRootToken(); benchErr != nil {
			return
		}
		f.kid = token.RootTokenID(f.root)
		if f.key, benchErr = token.DeriveKey(f.root, benchServiceID); benchErr != nil {
			return
		}
		var minter *auth.Client
		if minter, benchErr = auth.New(benchServiceID, []string{f.root}); benchErr != nil {
			return
		}
		mint := func(nodeID string) []string {
			tok, err := minter.GenerateAuthToken(nodeID, "User")
			if err != nil {
				benchErr = err
			}
			return []string{"Bearer " + tok}
		}
		f.seen = mint("cj9user0seen")
		f.fresh = make([][]string, benchNewTokens)
		for i := range f.fresh {
			f.fresh[i] = mint(fmt.Sprintf("cj9user%06d", i))
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return &benchFix
}

// emptyHandler is the handler every benchmark wraps.
var emptyHandler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// benchServe serves requests carrying the Authorization header values
// authz, in turn, with h.
func benchServe(b *testing.B, h http.Handler, authz [][]string) {
	b.Helper()
	r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Header["Authorization"] = authz[i%len(authz)]
		h.ServeHTTP(w, r)
		i++
	}
}

// BenchmarkHandlerBare is the empty handler alone: the baseline the
// overheads are measured from.
func BenchmarkHandlerBare(b *testing.B) {
	f := benchSetup(b)
	benchServe(b, emptyHandler, [][]string{f.seen})
}

// BenchmarkMiddlewareSeen sends the same token with every request: after
// the first, each is a cache hit.
func BenchmarkMiddlewareSeen(b *testing.B) {
	f := benchSetup(b)
	c, err := auth.New(benchServiceID, []string{f.root})
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, middleware.New(c)(emptyHandler), [][]string{f.seen})
}

// BenchmarkMiddlewareNew sends a token the client's cache does not hold
// with every request.
func BenchmarkMiddlewareNew(b *testing.B) {
	f := benchSetup(b)
	c, err := auth.New(benchServiceID, []string{f.root}, auth.WithCacheSize(benchNewCacheSize))
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, middleware.New(c)(emptyHandler), f.fresh)
}

// The plain golang-jwt equivalent.

// newPlainVerifier returns the plain golang-jwt verifier of the tokens of
// f.
func newPlainVerifier(f *benchFixture) *jwtbaseline.Verifier {
	return jwtbaseline.NewVerifier(benchServiceID, auth.DefaultLeeway, map[string][]byte{f.kid: f.key})
}

type plainClaimsKey struct{}

// plainMiddleware is the net/http middleware one writes on golang-jwt: the
// Bearer token of the Authorization header verified, its claims put in the
// request context.
func plainMiddleware(v *jwtbaseline.Verifier, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if claims, err := v.Verify(tok); err == nil {
				ctx = context.WithValue(ctx, plainClaimsKey{}, claims)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// BenchmarkGolangJWTMiddlewareSeen is BenchmarkMiddlewareSeen with
// plainMiddleware.
func BenchmarkGolangJWTMiddlewareSeen(b *testing.B) {
	f := benchSetup(b)
	benchServe(b, plainMiddleware(newPlainVerifier(f), emptyHandler), [][]string{f.seen})
}

// BenchmarkGolangJWTMiddlewareNew is BenchmarkMiddlewareNew with
// plainMiddleware.
func BenchmarkGolangJWTMiddlewareNew(b *testing.B) {
	f := benchSetup(b)
	benchServe(b, plainMiddleware(newPlainVerifier(f), emptyHandler), f.fresh)
}

// TestBenchmarkedMiddlewaresAgree checks that both benchmarked middlewares
// identify the caller of a good token and of no bad one, so that the
// benchmarks compare the same work.
func TestBenchmarkedMiddlewaresAgree(t *testing.T) {
	t.Parallel()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	key, err := token.DeriveKey(root, benchServiceID)
	require.NoError(t, err)
	c, err := auth.New(benchServiceID, []string{root})
	require.NoError(t, err)
	good, err := c.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	forged := good[:len(good)-8] + "AAAAAAAA"
	if forged == good {
		forged = good[:len(good)-8] + "BBBBBBBB"
	}

	var ours, plain *string
	record := func(into **string) http.Handler {
		return http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			*into = nil
			if id, _ := auth.FromContext(r.Context()); id.IsNode() {
				*into = &id.NodeID
			}
			if claims, ok := r.Context().Value(plainClaimsKey{}).(*jwtbaseline.Claims); ok {
				*into = &claims.UserID
			}
		})
	}
	oursH := middleware.New(c)(record(&ours))
	plainH := plainMiddleware(newPlainVerifier(&benchFixture{kid: token.RootTokenID(root), key: key}), record(&plain))
	for _, tc := range []struct {
		tok  string
		want string
	}{{good, "u1"}, {forged, ""}, {"garbage", ""}} {
		for _, h := range []http.Handler{oursH, plainH} {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Authorization", "Bearer "+tc.tok)
			h.ServeHTTP(httptest.NewRecorder(), r)
		}
		if tc.want == "" {
			assert.Nil(t, ours)
			assert.Nil(t, plain)
			continue
		}
		if assert.NotNil(t, ours) && assert.NotNil(t, plain) {
			assert.Equal(t, tc.want, *ours)
			assert.Equal(t, tc.want, *plain)
		}
	}
}

// TestMiddlewareAllocations holds the middleware to the allocations
// BenchmarkMiddlewareSeen reports: for a request identified from a cached
// token, the two context values carrying the state and the identity, the
// boxed identity and the request copy, and nothing else.
//
// Not parallel: it counts the allocations of the process.
func TestMiddlewareAllocations(t *testing.T) {
	root, err := token.NewRootToken()
	require.NoError(t, err)
	c, err := auth.New(benchServiceID, []string{root})
	require.NoError(t, err)
	tok, err := c.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	var seen auth.Identity
	h := middleware.New(c)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen, _ = auth.FromContext(r.Context())
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	allocs := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) })
	assert.Equal(t, "u1", seen.NodeID)
	assert.LessOrEqual(t, allocs, 4.0)
}
