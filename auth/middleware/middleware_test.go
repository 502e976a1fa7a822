package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

type ctxKey struct{}

// ctxVerifier accepts every token whose request context carries ctxKey.
type ctxVerifier struct{}

func (ctxVerifier) Verify(ctx context.Context, _ string) (auth.Identity, error) {
	if ctx.Value(ctxKey{}) == nil {
		return auth.Identity{}, errRefused
	}
	return rootID, nil
}

func TestVerifierGetsRequestContext(t *testing.T) {
	t.Parallel()
	r := request("Bearer " + rootTok)
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, true))
	_, s := serve(middleware.New(ctxVerifier{}), r)
	assert.Equal(t, rootID, s.id)
}

func TestCanceledRequestIsNotAuthenticated(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := request("Bearer " + rootTok).WithContext(ctx)
	w, s := serve(middleware.New(newFake(), middleware.Strict()), r)
	assert.False(t, s.called)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
}

// TestEveryRequestHasIdentity checks that every request that reaches the
// next handler finds an Identity in its context, whatever it carried.
func TestEveryRequestHasIdentity(t *testing.T) {
	t.Parallel()
	inputs := [][]string{nil, {""}, {"Bearer " + nodeTok}, {"Bearer " + rootTok}, {"Bearer " + badTok},
		{"Basic x"}, {"Bearer a", "Bearer b"}}
	for _, opts := range [][]middleware.Option{nil, {middleware.Strict()}, {middleware.Required()}} {
		for _, in := range inputs {
			// An identity planted upstream is replaced, never trusted.
			r := request(in...)
			r = r.WithContext(auth.NewContext(r.Context(), rootID))
			_, s := serve(middleware.New(newFake(), opts...), r)
			if !s.called {
				continue
			}
			assert.True(t, s.ok, "%q", in)
			if len(in) != 1 || (in[0] != "Bearer "+rootTok) {
				assert.False(t, s.id.IsRoot(), "%q: upstream identity replaced", in)
			}
		}
	}
}

func TestRequestNotModified(t *testing.T) {
	t.Parallel()
	r := request("Bearer " + badTok)
	r.Header.Set("X-Other", "kept")
	before := r.Header.Clone()
	_, s := serve(middleware.New(newFake()), r)
	assert.Equal(t, before, r.Header)
	assert.Empty(t, s.authz)
}

func BenchmarkMiddleware(b *testing.B) {
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for name, authz := range map[string]string{
		"valid token":    "Bearer " + nodeTok,
		"no credentials": "",
		"bad token":      "Bearer " + badTok,
		"malformed":      "Bearer " + nodeTok + " x",
	} {
		b.Run(name, func(b *testing.B) {
			h := middleware.New(newFake())(next)
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if authz != "" {
				r.Header.Set("Authorization", authz)
			}
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}
