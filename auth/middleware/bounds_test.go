package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
	"github.com/graphcool-go/graphcool-lib/token"
)

// countingClient is an *auth.Client that counts the tokens it is given.
type countingClient struct {
	*auth.Client
	calls atomic.Int64
}

func (c *countingClient) Verify(ctx context.Context, tok string) (auth.Identity, error) {
	c.calls.Add(1)
	return c.Client.Verify(ctx, tok)
}

// nopWriter is an http.ResponseWriter that keeps nothing but its header
// and status.
type nopWriter struct {
	header http.Header
	status int
}

func (w *nopWriter) Header() http.Header         { return w.header }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(status int)      { w.status = status }

// TestHugeCredentialsNeverReachTheClient sends 1 MiB Authorization headers
// and a 1 MiB token cookie through the middleware in front of a real
// *auth.Client, in each mode: the middleware refuses them by their length
// alone, before the Client sees them, and a request costs about what one
// with a short bad header costs, nothing that grows with the header. A
// genuine token still gets through, so the Client is wired.
//
// Not parallel: it counts the allocations of the process.
func TestHugeCredentialsNeverReachTheClient(t *testing.T) {
	root, err := token.NewRootToken()
	require.NoError(t, err)
	client, err := auth.New("cjboundsservice", []string{root})
	require.NoError(t, err)
	genuine, err := client.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	cc := &countingClient{Client: client}

	const mib = 1 << 20
	huge := map[string]func(r *http.Request){
		"1 MiB bearer token": func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+strings.Repeat("a", mib))
		},
		"1 MiB of dots": func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+strings.Repeat(".", mib))
		},
		"genuine token padded to 1 MiB": func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+genuine+strings.Repeat("A", mib))
		},
		"root token repeated to 1 MiB": func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+strings.Repeat(root, mib/len(root)))
		},
		"1 MiB token cookie": func(r *http.Request) {
			r.Header.Set("Cookie", "session="+strings.Repeat("a", mib))
		},
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, _ := auth.FromContext(r.Context()); id.Kind != auth.Anonymous {
			t.Errorf("the handler got a %v caller", id.Kind)
		}
		if len(r.Header.Get("Authorization")) > 0 || strings.Contains(r.Header.Get("Cookie"), "session=") {
			t.Error("the handler got the refused credentials")
		}
	})

	for mode, opts := range map[string][]middleware.Option{
		"default":  nil,
		"Strict":   {middleware.Strict()},
		"Required": {middleware.Required()},
	} {
		h := middleware.New(cc, append(opts, middleware.FromCookie("session"))...)(next)
		perRequest := func(set func(r *http.Request)) (uint64, int) {
			r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
			set(r)
			w := &nopWriter{header: http.Header{}}
			h.ServeHTTP(w, r) // warm up
			const n = 20
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range n {
				clear(w.header)
				h.ServeHTTP(w, r)
			}
			runtime.ReadMemStats(&after)
			return (after.TotalAlloc - before.TotalAlloc) / n, w.status
		}
		short, _ := perRequest(func(r *http.Request) { r.Header.Set("Authorization", "Bearer a b") })
		for name, set := range huge {
			cc.calls.Store(0)
			bytes, status := perRequest(set)
			assert.Zero(t, cc.calls.Load(), "%s, %s: the Client was called", mode, name)
			assert.LessOrEqual(t, bytes, short+1024, "%s, %s: %d bytes per request, %d for a short bad header", mode, name, bytes, short)
			if mode == "default" {
				assert.Contains(t, []int{0, http.StatusOK}, status, "%s, %s", mode, name)
			} else {
				assert.Equal(t, http.StatusUnauthorized, status, "%s, %s", mode, name)
			}
		}
	}

	t.Run("a genuine token reaches the Client", func(t *testing.T) {
		cc.calls.Store(0)
		var got auth.Identity
		h := middleware.New(cc, middleware.Required())(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			got, _ = auth.FromContext(r.Context())
		}))
		r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
		r.Header.Set("Authorization", "Bearer "+genuine)
		h.ServeHTTP(httptest.NewRecorder(), r)
		assert.Equal(t, int64(1), cc.calls.Load())
		assert.Equal(t, auth.Node, got.Kind)
	})
}
